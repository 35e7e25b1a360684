import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery } from '../shared/openapi.js';
import { ListProjectionFailures, projectionFailuresQuery } from './list-projection-failures.query.js';

@ApiTags('projections')
@RequiresRole('admin')
@Controller('v1/projection-failures')
export class ProjectionFailuresHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** The dead-letter list: events a projection could not apply and set aside (copied to the DLQ topic), newest first. */
  @Get()
  @ApiOperation({ operationId: 'listProjectionFailures', summary: 'List the events projections set aside (the dead-letter list), newest first' })
  @ApiOkResponse({ description: 'A page of set-aside events.' })
  @ApiListQuery(projectionFailuresQuery)
  list(@QueryParams(new ZodPipe(projectionFailuresQuery, 'query')) filter: ReturnType<typeof projectionFailuresQuery.parse>) {
    return this.queries.execute(new ListProjectionFailures(filter));
  }
}
