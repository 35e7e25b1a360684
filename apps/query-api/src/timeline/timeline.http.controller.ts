import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery } from '../shared/openapi.js';
import { GetTimeline, timelineQuery } from './get-timeline.query.js';

@ApiTags('timeline')
@ApiBearerAuth()
@RequiresRole('reader')
@Controller('v1/timeline')
export class TimelineHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** Every development, newest `occurredAt` first. */
  @Get()
  @ApiListQuery(timelineQuery)
  list(@QueryParams(new ZodPipe(timelineQuery, 'query')) filter: ReturnType<typeof timelineQuery.parse>) {
    return this.queries.execute(new GetTimeline(filter));
  }
}
