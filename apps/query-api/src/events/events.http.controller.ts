import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem, ProblemError, RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery } from '../shared/openapi.js';
import { eventsQuery, ListEvents, ListStreamEvents, streamEventsQuery } from './list-events.query.js';

/** Stream ids are `<aggregate>-<id>`; anything else (a NUL byte, a 10 kB string) cannot be one. */
const streamIdPattern = /^[a-z]+-[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

@ApiTags('events')
@RequiresRole('reader')
@Controller('v1')
export class EventsHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** Every event in the journal as an envelope, in global position order; `after` is the last position seen. */
  @Get('events')
  @ApiListQuery(eventsQuery)
  @ApiOperation({ operationId: 'listEvents', summary: 'List the journal\'s events as envelopes, in global order' })
  @ApiOkResponse({ description: 'A page of event envelopes.' })
  list(@QueryParams(new ZodPipe(eventsQuery, 'query')) page: ReturnType<typeof eventsQuery.parse>) {
    return this.queries.execute(new ListEvents(page));
  }

  /** One stream's events in version order; `after` is the last version seen. */
  @Get('streams/:streamId/events')
  @ApiListQuery(streamEventsQuery)
  @ApiOperation({ operationId: 'listStreamEvents', summary: 'List one stream\'s events, in version order' })
  @ApiOkResponse({ description: "A page of the stream's event envelopes." })
  @ApiProblem(404, 'No stream has this id.')
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
