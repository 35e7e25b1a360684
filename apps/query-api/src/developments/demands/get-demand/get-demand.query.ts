import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import pg from 'pg';
import { idSchema } from '#domain';
import { PG_POOL, ProblemError } from '#platform';
import { type DemandItem, type DemandRow, demandItem, withResponses } from '../demand-item.js';

/**
 * One development of the demand's stream, every answer included (an addressee may answer more than
 * once); a retraction is listed too (with no `by`), so its reason shows beside what it struck out.
 */
export type DemandHistoryEntry = {
  eventId: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
  by: string | null;
  reason: string | null;
  retracted: boolean;
};

export type DemandDetail = DemandItem & { terms: string[]; history: DemandHistoryEntry[] };

export class GetDemand extends Query<DemandDetail> {
  constructor(readonly id: string) {
    super();
  }
}

type HistoryRow = { event_id: string; type: string; occurred_at: string; recorded_at: Date; by: string | null; reason: string | null; retracted: boolean };

@QueryHandler(GetDemand)
export class GetDemandHandler implements IQueryHandler<GetDemand, DemandDetail> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ id }: GetDemand): Promise<DemandDetail> {
    // No demand has an id of another shape; such a path (a NUL byte, say) is not sent to the database.
    if (!idSchema.safeParse(id).success) throw ProblemError.of(404, 'not-found', `There is no demand ${id}.`);
    const [demand, history] = await Promise.all([
      this.pool.query<DemandRow>(`WITH one AS (SELECT * FROM demands WHERE id = $1) ${withResponses('one')}`, [id]),
      this.pool.query<HistoryRow>(
        `SELECT event_id, type, occurred_at, recorded_at, by, reason, retracted FROM demand_history
         WHERE demand_id = $1 ORDER BY occurred_ts, stream_version`, [id]),
    ]);
    const row = demand.rows[0];
    // A demand whose issuance was retracted has no row: it is as unknown as one never issued.
    if (!row) throw ProblemError.of(404, 'not-found', `There is no demand ${id}.`);
    return {
      ...demandItem(row),
      terms: row.terms,
      history: history.rows.map((entry) => ({
        eventId: entry.event_id,
        type: entry.type,
        occurredAt: entry.occurred_at,
        recordedAt: entry.recorded_at.toISOString(),
        by: entry.by,
        reason: entry.reason,
        retracted: entry.retracted,
      })),
    };
  }
}
