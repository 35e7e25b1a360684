// Demands, meetings and proposals keep each event of their stream as a fact with a `retracted`
// flag, and fold the read rows of the aggregates a batch touched from the facts that still stand.
// An event, its retraction and a later answer can then share a batch and land exactly as they do
// in separate batches: no statement depends on the order of events within it.
import type pg from 'pg';
import type { ProjectedEvent } from '../../projection.js';
import { columns, insertRows, instant, prepared } from '../../sql.js';

export type FactsTable = {
  /** Schema-qualified table name. */
  table: string;
  /** The aggregate's id column, e.g. `demand_id`. */
  idColumn: string;
  /** The stream prefix the aggregate's id follows, e.g. `demand-`. */
  streamPrefix: string;
};

/** One stored event of an aggregate's stream. */
export type Fact = {
  eventId: string;
  aggregateId: string;
  streamVersion: number;
  globalPosition: string;
  type: string;
  occurredAt: string;
  occurredTs: Date;
  recordedAt: Date;
  by: string | null;
  reason: string | null;
  data: Record<string, unknown>;
  retracted: boolean;
};

export function factsDdl({ table, idColumn }: FactsTable): string[] {
  const name = table.split('.').at(-1)!;
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (
      event_id        uuid        PRIMARY KEY,
      ${idColumn}     text        NOT NULL,
      stream_version  integer     NOT NULL,
      global_position bigint      NOT NULL,
      type            text        NOT NULL,
      occurred_at     text        NOT NULL,
      occurred_ts     timestamptz NOT NULL,
      recorded_at     timestamptz NOT NULL,
      by              text,
      reason          text,
      data            jsonb       NOT NULL,
      retracted       boolean     NOT NULL DEFAULT false,
      retracted_at    timestamptz
    )`,
    `CREATE INDEX IF NOT EXISTS ${name}_stream ON ${table} (${idColumn}, stream_version)`,
  ];
}

export function aggregateIdOf(facts: FactsTable, event: ProjectedEvent): string {
  return event.streamId.slice(facts.streamPrefix.length);
}

/** The party acting in an event; a retraction is the system's act, so it has none. */
function actorOf(event: ProjectedEvent): string | null {
  if (event.type === 'EventRetracted') return null;
  const data = event.data as { by?: string };
  return data.by ?? null;
}

function reasonOf(event: ProjectedEvent): string | null {
  const data = event.data as { reason?: string };
  return data.reason ?? null;
}

/**
 * Stores the batch's events of the aggregate's stream (retractions too), marks the retracted ones,
 * and returns the ids of the aggregates whose read rows must be folded again.
 */
export async function recordFacts(tx: pg.PoolClient, facts: FactsTable, events: ProjectedEvent[]): Promise<string[]> {
  const own = events.filter((event) => event.streamId.startsWith(facts.streamPrefix));
  await insertRows(tx, facts.table, columns(
    'event_id uuid', `${facts.idColumn} text`, 'stream_version int', 'global_position bigint', 'type text', 'occurred_at text',
    'occurred_ts timestamptz', 'recorded_at timestamptz', 'by text', 'reason text', 'data jsonb',
  ), own.map((event) => [
    event.eventId, aggregateIdOf(facts, event), event.streamVersion, event.globalPosition, event.type, event.occurredAt,
    instant(event.occurredAt), event.recordedAt, actorOf(event), reasonOf(event), event.data,
  ]), 'ON CONFLICT (event_id) DO NOTHING');

  const retractions = own.filter((event) => event.type === 'EventRetracted');
  if (retractions.length > 0) {
    await tx.query(prepared(
      `UPDATE ${facts.table} f SET retracted = true, retracted_at = r.retracted_at
       FROM unnest($1::uuid[], $2::timestamptz[]) AS r(event_id, retracted_at) WHERE f.event_id = r.event_id`,
      [retractions.map((event) => (event.data as { retractedEventId: string }).retractedEventId), retractions.map((event) => event.recordedAt)]));
  }
  return [...new Set(own.map((event) => aggregateIdOf(facts, event)))];
}

/** Each aggregate's developments in stream order, retracted ones flagged; the retractions themselves left out. */
export async function factsOf(tx: pg.PoolClient, facts: FactsTable, ids: string[]): Promise<Map<string, Fact[]>> {
  const { rows } = await tx.query<{
    event_id: string; aggregate_id: string; stream_version: number; global_position: string; type: string; occurred_at: string;
    occurred_ts: Date; recorded_at: Date; by: string | null; reason: string | null; data: Record<string, unknown>; retracted: boolean;
  }>(prepared(
    `SELECT event_id, ${facts.idColumn} AS aggregate_id, stream_version, global_position, type, occurred_at, occurred_ts,
            recorded_at, by, reason, data, retracted
     FROM ${facts.table}
     WHERE ${facts.idColumn} = ANY($1::text[]) AND type <> 'EventRetracted'
     ORDER BY ${facts.idColumn}, stream_version`, [ids]));
  const byAggregate = new Map<string, Fact[]>(ids.map((id) => [id, []]));
  for (const row of rows) {
    byAggregate.get(row.aggregate_id)!.push({
      eventId: row.event_id, aggregateId: row.aggregate_id, streamVersion: row.stream_version, globalPosition: row.global_position,
      type: row.type, occurredAt: row.occurred_at, occurredTs: row.occurred_ts, recordedAt: row.recorded_at, by: row.by,
      reason: row.reason, data: row.data, retracted: row.retracted,
    });
  }
  return byAggregate;
}

/** Replaces the rows of `ids` in `table` with `rows`: the fold's result is the whole truth for those aggregates. */
export async function replaceRows(
  tx: pg.PoolClient,
  table: string,
  idColumn: string,
  ids: string[],
  cols: ReturnType<typeof columns>,
  rows: unknown[][],
): Promise<void> {
  if (ids.length === 0) return;
  await tx.query(prepared(`DELETE FROM ${table} WHERE ${idColumn} = ANY($1::text[])`, [ids]));
  await insertRows(tx, table, cols, rows);
}
