import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GetPartyHandler } from './get-party.query.js';
import { IssuesHttpController } from './issues.http.controller.js';
import { ListIssuesHandler } from './list-issues.query.js';
import { ListPartiesHandler } from './list-parties.query.js';
import { PartiesHttpController } from './parties.http.controller.js';

/** Parties and issues: `GET /v1/parties`, `GET /v1/parties/{id}`, `GET /v1/issues`. */
@Module({
  imports: [CqrsModule],
  controllers: [PartiesHttpController, IssuesHttpController],
  providers: [ListPartiesHandler, GetPartyHandler, ListIssuesHandler],
})
export class PartiesQueryModule {}
