import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery, ApiReadModels } from '../shared/openapi.js';
import { GetTimeline, timelineQuery } from './get-timeline.query.js';

@ApiTags('timeline')
@ApiReadModels()
@RequiresRole('reader')
@Controller('v1/timeline')
export class TimelineHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** Every development, newest `occurredAt` first. */
  @Get()
  @ApiListQuery(timelineQuery)
  @ApiOperation({ operationId: 'getTimeline', summary: 'List every development, newest first' })
  @ApiOkResponse({ description: 'A page of developments.' })
  list(@QueryParams(new ZodPipe(timelineQuery, 'query')) filter: ReturnType<typeof timelineQuery.parse>) {
    return this.queries.execute(new GetTimeline(filter));
  }
}
