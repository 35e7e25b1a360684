import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery, ApiReadModels } from '../shared/openapi.js';
import { issuesQuery, ListIssues } from './list-issues.query.js';

@ApiTags('issues')
@ApiReadModels()
@RequiresRole('reader')
@Controller('v1/issues')
export class IssuesHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** Registered issues by id. */
  @Get()
  @ApiListQuery(issuesQuery)
  @ApiOperation({ operationId: 'listIssues', summary: 'List the registered issues' })
  @ApiOkResponse({ description: 'A page of issues.' })
  list(@QueryParams(new ZodPipe(issuesQuery, 'query')) filter: ReturnType<typeof issuesQuery.parse>) {
    return this.queries.execute(new ListIssues(filter));
  }
}
