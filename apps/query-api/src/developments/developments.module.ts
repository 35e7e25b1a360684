// Demands, meetings, warnings and proposals over HTTP, read from their projections' tables.
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DemandsHttpController } from './demands/demands.http.controller.js';
import { GetDemandHandler } from './demands/get-demand/get-demand.query.js';
import { ListDemandsHandler } from './demands/list-demands/list-demands.query.js';
import { GetMeetingHandler } from './meetings/get-meeting/get-meeting.query.js';
import { ListMeetingsHandler } from './meetings/list-meetings/list-meetings.query.js';
import { MeetingsHttpController } from './meetings/meetings.http.controller.js';
import { ListProposalsHandler } from './proposals/list-proposals/list-proposals.query.js';
import { ProposalsHttpController } from './proposals/proposals.http.controller.js';
import { ListWarningsHandler } from './warnings/list-warnings/list-warnings.query.js';
import { WarningsHttpController } from './warnings/warnings.http.controller.js';

@Module({
  imports: [CqrsModule],
  controllers: [DemandsHttpController, MeetingsHttpController, WarningsHttpController, ProposalsHttpController],
  providers: [ListDemandsHandler, GetDemandHandler, ListMeetingsHandler, GetMeetingHandler, ListWarningsHandler, ListProposalsHandler],
})
export class DevelopmentsQueryModule {}
