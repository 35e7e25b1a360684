import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery } from '../../shared/openapi.js';
import { GetMeeting } from './get-meeting/get-meeting.query.js';
import { ListMeetings, meetingsQuery } from './list-meetings/list-meetings.query.js';

@ApiTags('meetings')
@ApiBearerAuth()
@RequiresRole('reader')
@Controller('v1/meetings')
export class MeetingsHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** Meetings, the latest step first; `from`/`to` bound the meeting's date (held, else planned). */
  @Get()
  @ApiListQuery(meetingsQuery)
  list(@QueryParams(new ZodPipe(meetingsQuery, 'query')) filter: ReturnType<typeof meetingsQuery.parse>) {
    return this.queries.execute(new ListMeetings(filter));
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.queries.execute(new GetMeeting(id));
  }
}
