import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery } from '../shared/openapi.js';
import { issuesQuery, ListIssues } from './list-issues.query.js';

@ApiTags('issues')
@ApiBearerAuth()
@RequiresRole('reader')
@Controller('v1/issues')
export class IssuesHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** Registered issues by id. */
  @Get()
  @ApiListQuery(issuesQuery)
  list(@QueryParams(new ZodPipe(issuesQuery, 'query')) filter: ReturnType<typeof issuesQuery.parse>) {
    return this.queries.execute(new ListIssues(filter));
  }
}
