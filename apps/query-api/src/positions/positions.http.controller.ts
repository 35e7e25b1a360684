import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery } from '../shared/openapi.js';
import { GetIssuePositions } from './get-issue-positions.query.js';
import { GetPartyPositions } from './get-party-positions.query.js';
import { type PositionsFilter, positionsQuery } from './positions-query.js';

@ApiTags('positions')
@ApiBearerAuth()
@RequiresRole('reader')
@Controller('v1')
export class PositionsHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** A party's position on each issue: now, or as of a valid time and as known at a transaction time. */
  @Get('parties/:id/positions')
  @ApiListQuery(positionsQuery)
  ofParty(@Param('id') party: string, @QueryParams(new ZodPipe(positionsQuery, 'query')) filter: PositionsFilter) {
    return this.queries.execute(new GetPartyPositions(party, filter));
  }

  /** Each party's position on an issue: now, or as of a valid time and as known at a transaction time. */
  @Get('issues/:id/positions')
  @ApiListQuery(positionsQuery)
  onIssue(@Param('id') issue: string, @QueryParams(new ZodPipe(positionsQuery, 'query')) filter: PositionsFilter) {
    return this.queries.execute(new GetIssuePositions(issue, filter));
  }
}
