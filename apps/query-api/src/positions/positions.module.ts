import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GetIssuePositionsHandler } from './get-issue-positions.query.js';
import { GetPartyPositionsHandler } from './get-party-positions.query.js';
import { PositionsHttpController } from './positions.http.controller.js';

/** Positions by party and by issue, now or bitemporally: `GET /v1/parties/{id}/positions`, `GET /v1/issues/{id}/positions`. */
@Module({
  imports: [CqrsModule],
  controllers: [PositionsHttpController],
  providers: [GetPartyPositionsHandler, GetIssuePositionsHandler],
})
export class PositionsQueryModule {}
