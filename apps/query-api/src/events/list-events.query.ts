// The journal itself, as envelopes (DESIGN §8): all events by global position, or one stream by version.
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import pg from 'pg';
import { z } from 'zod';
import { type EventEnvelope } from '#event-log';
import { envelopeColumns, envelopeOf } from '#journal';
import { PG_POOL, ProblemError } from '#platform';
import { limitSchema, type Page } from '../shared/list-query.js';

type JournalRow = Parameters<typeof envelopeOf>[0];

export const eventsQuery = z.strictObject({
  // A bigint as text: 18 digits always fit in Postgres's bigint.
  after: z.string().regex(/^\d{1,18}$/, 'a global position: a whole number ≥ 0').default('0'),
  limit: limitSchema,
});

export const streamEventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).max(2_147_483_647).default(0),
  limit: limitSchema,
});

/** A page whose cursor is the last item's position; `limit + 1` rows are read to know whether more follow. */
function pageAfter(rows: JournalRow[], limit: number, positionOf: (envelope: EventEnvelope) => string | number): Page<EventEnvelope> {
  const items = rows.slice(0, limit).map(envelopeOf);
  return { items, nextCursor: rows.length > limit ? String(positionOf(items.at(-1)!)) : null };
}

export class ListEvents extends Query<Page<EventEnvelope>> {
  constructor(readonly page: z.infer<typeof eventsQuery>) {
    super();
  }
}

@QueryHandler(ListEvents)
export class ListEventsHandler implements IQueryHandler<ListEvents, Page<EventEnvelope>> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  // Serves what is committed now. Positions are taken before commit, so an append that took a lower
  // position and commits later lands behind a cursor already handed out and is never paged to (the
  // relay avoids this by selecting unpublished rows, not positions). A reader that must see every
  // event follows the Kafka topic, or a stream's own feed, whose versions commit in order.
  async execute({ page }: ListEvents): Promise<Page<EventEnvelope>> {
    const { rows } = await this.pool.query<JournalRow>(
      `SELECT ${envelopeColumns} FROM journal WHERE global_position > $1::bigint ORDER BY global_position LIMIT $2`,
      [page.after, page.limit + 1]);
    return pageAfter(rows, page.limit, (envelope) => envelope.globalPosition);
  }
}

export class ListStreamEvents extends Query<Page<EventEnvelope>> {
  constructor(readonly streamId: string, readonly page: z.infer<typeof streamEventsQuery>) {
    super();
  }
}

@QueryHandler(ListStreamEvents)
export class ListStreamEventsHandler implements IQueryHandler<ListStreamEvents, Page<EventEnvelope>> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ streamId, page }: ListStreamEvents): Promise<Page<EventEnvelope>> {
    const { rows } = await this.pool.query<JournalRow>(
      `SELECT ${envelopeColumns} FROM journal WHERE stream_id = $1 AND stream_version > $2 ORDER BY stream_version LIMIT $3`,
      [streamId, page.after, page.limit + 1]);
    if (rows.length === 0 && !(await this.exists(streamId))) {
      throw ProblemError.of(404, 'not-found', `No stream ${streamId} is in the journal.`);
    }
    return pageAfter(rows, page.limit, (envelope) => envelope.streamVersion);
  }

  private async exists(streamId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM journal WHERE stream_id = $1 AND stream_version = 1', [streamId]);
    return (rowCount ?? 0) > 0;
  }
}
