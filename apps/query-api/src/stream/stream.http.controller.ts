import { Controller, Headers, type MessageEvent, Query, Sse } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { filter, interval, map, merge, Observable } from 'rxjs';
import { z } from 'zod';
import { AcceptsStreamToken, ApiProblem, parseOrThrow, RequiresRole, ZodPipe } from '#platform';
import { DevelopmentLog, type StreamDevelopment } from './development-log.service.js';
import { LiveFeed, type LiveMessage } from './live-feed.service.js';

const position = z.string().regex(/^\d{1,18}$/, 'a global position: a whole number ≥ 0');

const streamQuery = z.strictObject({
  /** Only developments involving this party (projection and alert events always pass). */
  party: z.string().min(1).max(128).optional(),
  types: z.string().regex(/^(development|projection|alert)(,(development|projection|alert))*$/).optional(),
  /** Resume after this position (a development's id); the Last-Event-ID header, when sent, wins. */
  after: position.optional(),
  /** A stream token from POST /v1/stream-tokens, for clients that cannot send the Authorization header. */
  token: z.string().max(4096).optional(),
});
type StreamQuery = z.infer<typeof streamQuery>;

/** A client further behind than this many positions is told to re-read rather than replayed to. */
export const replayLimit = 10_000n;

function selected(type: LiveMessage['type'], query: StreamQuery): boolean {
  return !query.types || query.types.split(',').includes(type);
}

function selectedDevelopment(development: StreamDevelopment, query: StreamQuery): boolean {
  return selected('development', query) && (!query.party || development.data.parties.includes(query.party));
}

@ApiTags('stream')
@RequiresRole('reader')
@AcceptsStreamToken()
@Controller('v1/stream')
export class StreamHttpController {
  constructor(private readonly live: LiveFeed, private readonly log: DevelopmentLog) {}

  /**
   * Server-Sent Events: `development`, `projection`, `alert`, a `heartbeat` every 15 s, and `reset`.
   * Every message's id is the journal position the stream has reached (a development's: its own),
   * so a reconnect with Last-Event-ID gets the developments after it, then the live ones.
   */
  @Sse()
  @ApiOperation({ operationId: 'streamLive', summary: 'Follow developments, projections and alerts as Server-Sent Events, resumable' })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this position (sent by EventSource on reconnect).' })
  @ApiQuery({ name: 'after', required: false, description: 'Resume after this position.' })
  @ApiQuery({ name: 'token', required: false, description: 'A stream token from POST /v1/stream-tokens, in place of the Authorization header.' })
  @ApiOkResponse({ description: 'A text/event-stream of `development`, `projection`, `alert`, `heartbeat` and `reset` events.' })
  @ApiProblem(400, 'The query or Last-Event-ID is not valid.')
  stream(
    @Query(new ZodPipe(streamQuery, 'query')) query: StreamQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
  ): Observable<MessageEvent> {
    const header = lastEventId === undefined || lastEventId === '' ? undefined
      : parseOrThrow(z.strictObject({ 'Last-Event-ID': position }), { 'Last-Event-ID': lastEventId.trim() }, 'query')['Last-Event-ID'];
    const resumeAfter = header ?? query.after;
    return new Observable<MessageEvent>((subscriber) => {
      // Subscribed to what settles from now on before reading where that begins: nothing falls between.
      const start = this.log.position;
      let reached = resumeAfter === undefined ? start : BigInt(resumeAfter);
      let replaying = true;
      const held: StreamDevelopment[] = [];
      const send = (development: StreamDevelopment) => {
        if (development.position <= reached) return; // a client ahead of this instance: it has these
        reached = development.position;
        if (selectedDevelopment(development, query)) {
          subscriber.next({ id: String(development.position), type: 'development', data: development.data });
        }
      };
      const developments = this.log.developments.subscribe((development) => (replaying ? held.push(development) : send(development)));
      const others = merge(
        this.live.feed.pipe(filter((message) => message.type !== 'development' && selected(message.type, query))),
        interval(15_000).pipe(map(() => ({ type: 'heartbeat', data: {} }))),
      ).subscribe((message) => subscriber.next({ id: String(reached), type: message.type, data: message.data }));

      void (async () => {
        if (reached < start) {
          if (start - reached > replayLimit) {
            subscriber.next({ id: String(start), type: 'reset', data: {
              reason: `More than ${replayLimit} positions were missed; re-read what this client shows, then follow from ${start}.`,
              position: String(start),
            } });
            reached = start;
          } else {
            for await (const development of this.log.history(reached, start)) {
              if (subscriber.closed) return;
              send(development);
            }
            reached = start;
          }
        }
        replaying = false;
        for (const development of held.splice(0)) send(development);
      })().catch((error: unknown) => subscriber.error(error));

      return () => {
        developments.unsubscribe();
        others.unsubscribe();
      };
    });
  }
}
