import { Controller, type MessageEvent, Query, Sse } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { filter, interval, map, merge, type Observable } from 'rxjs';
import { z } from 'zod';
import { ApiProblem, RequiresRole, ZodPipe } from '#platform';
import { LiveFeed, type LiveMessage } from './live-feed.service.js';

const streamQuery = z.strictObject({
  /** Only developments involving this party (projection and alert events always pass). */
  party: z.string().min(1).max(128).optional(),
  types: z.string().regex(/^(development|projection|alert)(,(development|projection|alert))*$/).optional(),
});

function wanted(message: LiveMessage, query: z.infer<typeof streamQuery>): boolean {
  if (query.types && !query.types.split(',').includes(message.type)) return false;
  if (query.party && message.type === 'development') return (message.data.parties as string[] | undefined)?.includes(query.party) ?? false;
  return true;
}

@ApiTags('stream')
@RequiresRole('reader')
@Controller('v1/stream')
export class StreamHttpController {
  constructor(private readonly live: LiveFeed) {}

  /** Server-Sent Events: `event: development | projection | alert`, and a `heartbeat` every 15 s. */
  @Sse()
  @ApiOperation({ operationId: 'streamLive', summary: 'Follow developments, projections and alerts as Server-Sent Events' })
  @ApiOkResponse({ description: 'A text/event-stream of `development`, `projection`, `alert` and `heartbeat` events.' })
  @ApiProblem(400, 'The query is not valid.')
  stream(@Query(new ZodPipe(streamQuery, 'query')) query: z.infer<typeof streamQuery>): Observable<MessageEvent> {
    const messages = this.live.feed.pipe(
      filter((message) => wanted(message, query)),
      map((message): MessageEvent => ({ type: message.type, data: message.data })),
    );
    const heartbeats = interval(15_000).pipe(map((): MessageEvent => ({ type: 'heartbeat', data: {} })));
    return merge(messages, heartbeats);
  }
}
