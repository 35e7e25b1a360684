import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem, RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery, ApiReadModels } from '../shared/openapi.js';
import { GetIssuePositions } from './get-issue-positions.query.js';
import { GetPartyPositions } from './get-party-positions.query.js';
import { type PositionsFilter, positionsQuery } from './positions-query.js';

@ApiTags('positions')
@ApiReadModels()
@RequiresRole('reader')
@Controller('v1')
export class PositionsHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** A party's position on each issue: now, or as of a valid time and as known at a transaction time. */
  @Get('parties/:id/positions')
  @ApiListQuery(positionsQuery)
  @ApiOperation({ operationId: 'getPartyPositions', summary: "Get a party's positions on each issue" })
  @ApiOkResponse({ description: "The party's positions." })
  @ApiProblem(404, 'No party has this id.')
  ofParty(@Param('id') party: string, @QueryParams(new ZodPipe(positionsQuery, 'query')) filter: PositionsFilter) {
    return this.queries.execute(new GetPartyPositions(party, filter));
  }

  /** Each party's position on an issue: now, or as of a valid time and as known at a transaction time. */
  @Get('issues/:id/positions')
  @ApiListQuery(positionsQuery)
  @ApiOperation({ operationId: 'getIssuePositions', summary: "Get each party's position on an issue" })
  @ApiOkResponse({ description: 'The positions on the issue.' })
  @ApiProblem(404, 'No issue has this id.')
  onIssue(@Param('id') issue: string, @QueryParams(new ZodPipe(positionsQuery, 'query')) filter: PositionsFilter) {
    return this.queries.execute(new GetIssuePositions(issue, filter));
  }
}
