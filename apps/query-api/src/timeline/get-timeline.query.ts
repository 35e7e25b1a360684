import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import pg from 'pg';
import { z } from 'zod';
import { chanceryEventTypes, idSchema } from '#domain';
import { PG_POOL, ProblemError } from '#platform';
import type { TimelineRetraction } from '#read-models';
import { decodeCursor, limitSchema, type Page, pageOf, timeParam } from '../shared/list-query.js';

export const timelineQuery = z.strictObject({
  party: idSchema.optional(),
  issue: idSchema.optional(),
  type: z.enum(chanceryEventTypes).optional(),
  from: timeParam.optional(),
  to: timeParam.optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

export type TimelineItem = {
  eventId: string;
  type: string;
  streamId: string;
  version: number;
  occurredAt: string;
  recordedAt: string;
  parties: string[];
  issue: string | null;
  summary: string;
  cameo: unknown;
  goldstein: number | null;
  retracted: boolean;
  /** The retraction that struck the development out, with its own provenance; null while it stands. */
  retraction: TimelineRetraction | null;
};

export class GetTimeline extends Query<Page<TimelineItem>> {
  constructor(readonly filter: z.infer<typeof timelineQuery>) {
    super();
  }
}

type Row = {
  event_id: string; type: string; stream_id: string; version: number; occurred_at: string; occurred_ts: Date;
  recorded_at: Date; parties: string[]; issue: string | null; summary: string; cameo: unknown; goldstein: number | null;
  retracted: boolean; retraction: TimelineRetraction | null; global_position: string;
};

@QueryHandler(GetTimeline)
export class GetTimelineHandler implements IQueryHandler<GetTimeline, Page<TimelineItem>> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ filter }: GetTimeline): Promise<Page<TimelineItem>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    // A party's page walks that party's own index (timeline_by_party) newest first; the time bounds
    // and the cursor apply to it, the other filters to the developments it points at.
    const ordered = filter.party ? 'p' : 't';
    if (filter.party) where.push(`p.party = ${param(filter.party)}`);
    if (filter.issue) where.push(`t.issue = ${param(filter.issue)}`);
    if (filter.type) where.push(`t.type = ${param(filter.type)}`);
    if (filter.from) where.push(`${ordered}.occurred_ts >= ${param(filter.from)}`);
    if (filter.to) where.push(`${ordered}.occurred_ts <= ${param(filter.to)}`);
    const after = decodeCursor(filter.cursor, 2);
    if (after && !(typeof after[0] === 'string' && !Number.isNaN(Date.parse(after[0])) && /^\d{1,19}$/.test(String(after[1])))) {
      throw ProblemError.of(400, 'invalid-cursor', 'The cursor is not one this API handed out.');
    }
    if (after) where.push(`(${ordered}.occurred_ts, ${ordered}.global_position) < (${param(after[0])}::timestamptz, ${param(after[1])}::bigint)`);
    // The views are named in the order a swap replaces them (the projection's `tables`): in the
    // other order a read during a swap could deadlock with it.
    const from = filter.party ? 'timeline t JOIN timeline_by_party p USING (event_id)' : 'timeline t';
    const { rows } = await this.pool.query<Row>(
      `SELECT t.* FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ${ordered}.occurred_ts DESC, ${ordered}.global_position DESC LIMIT ${param(filter.limit + 1)}`, params);
    return pageOf(rows, filter.limit, (row) => ({
      eventId: row.event_id,
      type: row.type,
      streamId: row.stream_id,
      version: row.version,
      occurredAt: row.occurred_at,
      recordedAt: row.recorded_at.toISOString(),
      parties: row.parties,
      issue: row.issue,
      summary: row.summary,
      cameo: row.cameo,
      goldstein: row.goldstein,
      retracted: row.retracted,
      retraction: row.retraction,
    }), (row) => [row.occurred_ts.toISOString(), row.global_position]);
  }
}
