// A pair's days of developments and its tension index (docs/adr/0003-tension-index.md).
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import pg from 'pg';
import { z } from 'zod';
import { partyStream } from '#domain';
import { PG_POOL, ProblemError } from '#platform';
import { timeParam } from '../shared/list-query.js';

/** A bound on the days: a date, or a timestamp taken as its UTC day; both bounds are inclusive. */
const dayParam = timeParam.transform((instant) => instant.slice(0, 10));

export const relationQuery = z
  .strictObject({ from: dayParam.optional(), to: dayParam.optional() })
  .refine((range) => !range.from || !range.to || range.from <= range.to, { path: ['to'], message: 'to is before from' });

export type RelationDay = { date: string; events: number; goldsteinSum: number; cooperation: number; conflict: number };

export type Relation = {
  parties: [string, string];
  days: RelationDay[];
  tension7d: number | null;
  tension30d: number | null;
};

export class GetRelation extends Query<Relation> {
  constructor(readonly a: string, readonly b: string, readonly range: z.infer<typeof relationQuery>) {
    super();
  }
}

type Row = { days: RelationDay[]; tension7d: number | null; tension30d: number | null };

/**
 * Tension over a window of N days: −(sum of Goldstein scores) / (number of scored developments),
 * so it lies in [−10, 10] and positive means conflictual; null when the window holds none.
 * The window is the N UTC days ending at the pair's latest development (on or before `to`, when
 * given), never at "now": the same journal always gives the same value — on a replay, in a
 * rebuilt model, in an alert's deterministic id — and `to` turns it into "tension as of that day".
 * `from` narrows the days listed, not the window. Rounded to two decimals.
 */
const tension = (windowDays: number) => `round(
    -sum(p.goldstein_sum) FILTER (WHERE p.day > l.day - ${windowDays})
    / nullif(sum(p.events) FILTER (WHERE p.day > l.day - ${windowDays}), 0), 2)::float8`;

@QueryHandler(GetRelation)
export class GetRelationHandler implements IQueryHandler<GetRelation, Relation> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ a, b, range }: GetRelation): Promise<Relation> {
    await this.requireParties([a, b]);
    // Pairs are stored in the domain's order (counterpartPairs): code-unit order, as JS compares.
    const [partyA, partyB] = a < b ? [a, b] : [b, a];
    // One statement, so the days and the tension come from the same snapshot.
    const { rows } = await this.pool.query<Row>(
      `WITH pair AS (
         SELECT day, events, goldstein_sum, cooperation, conflict FROM relations WHERE party_a = $1 AND party_b = $2
       ), latest AS (
         SELECT max(day) AS day FROM pair WHERE $4::date IS NULL OR day <= $4::date
       )
       SELECT
         (SELECT coalesce(json_agg(json_build_object('date', to_char(day, 'YYYY-MM-DD'), 'events', events,
                   'goldsteinSum', goldstein_sum, 'cooperation', cooperation, 'conflict', conflict) ORDER BY day), '[]'::json)
          FROM pair WHERE ($3::date IS NULL OR day >= $3::date) AND ($4::date IS NULL OR day <= $4::date)) AS days,
         (SELECT ${tension(7)} FROM pair p, latest l WHERE p.day <= l.day) AS "tension7d",
         (SELECT ${tension(30)} FROM pair p, latest l WHERE p.day <= l.day) AS "tension30d"`,
      [partyA, partyB, range.from ?? null, range.to ?? null]);
    const row = rows[0]!;
    return { parties: [a, b], days: row.days, tension7d: row.tension7d, tension30d: row.tension30d };
  }

  /**
   * A party exists when the journal holds its registration (stream `party-<id>` at version 1), as
   * the deciders decide it: the read model may lag the write, and ids stay taken after a retraction.
   */
  private async requireParties(ids: string[]): Promise<void> {
    const { rows } = await this.pool.query<{ stream_id: string }>(
      'SELECT stream_id FROM journal WHERE stream_id = ANY($1::text[]) AND stream_version = 1', [ids.map(partyStream)]);
    const known = new Set(rows.map((row) => row.stream_id));
    const unknown = ids.filter((id) => !known.has(partyStream(id)));
    if (unknown.length > 0) throw ProblemError.of(404, 'not-found', `No party ${unknown.join(' or ')} is registered.`);
  }
}
