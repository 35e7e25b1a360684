// GET /v1/projection-failures: the dead-letter list, the events projections set aside (each also
// copied to the DLQ topic), newest first.
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import pg from 'pg';
import { z } from 'zod';
import { idSchema } from '#domain';
import { PG_POOL, ProblemError } from '#platform';
import { decodeCursor, limitSchema, type Page, pageOf } from '../shared/list-query.js';

export const projectionFailuresQuery = z.strictObject({
  projection: idSchema.optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

export type ProjectionFailure = {
  id: string;
  projection: string;
  version: number;
  /** Null when the record could not be read as an event at all. */
  eventId: string | null;
  streamId: string | null;
  streamVersion: number | null;
  partition: number;
  offset: string;
  error: string;
  failedAt: string;
};

type Row = {
  id: string; projection: string; version: number; event_id: string | null; stream_id: string | null; stream_version: number | null;
  partition: number; kafka_offset: string; error: string; failed_at: Date;
};

export class ListProjectionFailures extends Query<Page<ProjectionFailure>> {
  constructor(readonly filter: z.infer<typeof projectionFailuresQuery>) {
    super();
  }
}

@QueryHandler(ListProjectionFailures)
export class ListProjectionFailuresHandler implements IQueryHandler<ListProjectionFailures, Page<ProjectionFailure>> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ filter }: ListProjectionFailures): Promise<Page<ProjectionFailure>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filter.projection) where.push(`projection = ${param(filter.projection)}`);
    const after = decodeCursor(filter.cursor, 1);
    if (after) {
      if (typeof after[0] !== 'string' || !/^\d{1,18}$/.test(after[0])) {
        throw ProblemError.of(400, 'invalid-cursor', 'The cursor is not one this API handed out.', {
          errors: [{ path: 'cursor', message: 'not a cursor from a previous page' }],
        });
      }
      where.push(`id < ${param(after[0])}::bigint`);
    }
    const { rows } = await this.pool.query<Row>(
      `SELECT id, projection, version, event_id, stream_id, stream_version, partition, kafka_offset, error, failed_at
       FROM projection_failures ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT ${param(filter.limit + 1)}`, params);
    return pageOf(rows, filter.limit, (row) => ({
      id: row.id,
      projection: row.projection,
      version: row.version,
      eventId: row.event_id,
      streamId: row.stream_id,
      streamVersion: row.stream_version,
      partition: row.partition,
      offset: row.kafka_offset,
      error: row.error,
      failedAt: row.failed_at.toISOString(),
    }), (row) => [row.id]);
  }
}
