import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery } from '../shared/openapi.js';
import { ListProjectionFailures, projectionFailuresQuery } from './list-projection-failures.query.js';

@ApiTags('projections')
@ApiBearerAuth()
@RequiresRole('admin')
@Controller('v1/projection-failures')
export class ProjectionFailuresHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** The dead-letter list: events a projection could not apply and set aside (copied to the DLQ topic), newest first. */
  @Get()
  @ApiListQuery(projectionFailuresQuery)
  list(@QueryParams(new ZodPipe(projectionFailuresQuery, 'query')) filter: ReturnType<typeof projectionFailuresQuery.parse>) {
    return this.queries.execute(new ListProjectionFailures(filter));
  }
}
