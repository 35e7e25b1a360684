import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ProblemError, RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery } from '../shared/openapi.js';
import { eventsQuery, ListEvents, ListStreamEvents, streamEventsQuery } from './list-events.query.js';

/** Stream ids are `<aggregate>-<id>`; anything else (a NUL byte, a 10 kB string) cannot be one. */
const streamIdPattern = /^[a-z]+-[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

@ApiTags('events')
@ApiBearerAuth()
@RequiresRole('reader')
@Controller('v1')
export class EventsHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** Every event in the journal as an envelope, in global position order; `after` is the last position seen. */
  @Get('events')
  @ApiListQuery(eventsQuery)
  list(@QueryParams(new ZodPipe(eventsQuery, 'query')) page: ReturnType<typeof eventsQuery.parse>) {
    return this.queries.execute(new ListEvents(page));
  }

  /** One stream's events in version order; `after` is the last version seen. */
  @Get('streams/:streamId/events')
  @ApiListQuery(streamEventsQuery)
  stream(@Param('streamId') streamId: string,
    @QueryParams(new ZodPipe(streamEventsQuery, 'query')) page: ReturnType<typeof streamEventsQuery.parse>) {
    if (!streamIdPattern.test(streamId)) {
      throw ProblemError.of(400, 'validation', 'The request path is not valid: 1 problem(s).', {
        errors: [{ path: 'streamId', message: 'a stream id is <aggregate>-<id>, e.g. demand-d1' }],
      });
    }
    return this.queries.execute(new ListStreamEvents(streamId, page));
  }
}
