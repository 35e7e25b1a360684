// Every public read-model table as sorted rows: two runs agree exactly when their snapshots are equal.
import type pg from 'pg';
import { projections } from '#read-models';

export async function snapshotReadModels(pool: pg.Pool): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const table of projections.flatMap((projection) => projection.tables)) {
    const { rows } = await pool.query(`SELECT to_jsonb(t) AS row FROM ${table} t`);
    snapshot[table] = rows.map((row) => JSON.stringify(row.row)).sort();
  }
  return snapshot;
}

/** Total rows, to tell a snapshot of real data from an empty one. */
export function rowCount(snapshot: Record<string, string[]>): number {
  return Object.values(snapshot).reduce((total, rows) => total + rows.length, 0);
}
