// Set-based writes for projections: many rows in one statement, `INSERT … SELECT FROM unnest(…)`.
import type pg from 'pg';

export type Column = { name: string; type: string };

/** `columns` as `name type` pairs, e.g. `['event_id uuid', 'parties text[]']`; an array column's values go in as JSON. */
export function columns(...specs: string[]): Column[] {
  return specs.map((spec) => {
    const [name, type] = spec.split(/\s+/, 2) as [string, string];
    return { name, type };
  });
}

/**
 * Inserts `rows` (one array of values per row, in column order) with one statement. The rows travel
 * as one JSON parameter that Postgres unpacks (`json_to_recordset`): building and escaping an array
 * literal per column in pg was a fifth of the projector's CPU in a rebuild.
 */
export async function insertRows(
  tx: pg.PoolClient,
  table: string,
  cols: Column[],
  rows: unknown[][],
  conflict = '',
): Promise<void> {
  if (rows.length === 0) return;
  const records = rows.map((row) => Object.fromEntries(cols.map((col, index) => [col.name, row[index] ?? null])));
  const names = cols.map((col) => col.name).join(', ');
  await tx.query(
    `INSERT INTO ${table} (${names})
     SELECT ${names} FROM json_to_recordset($1::json) AS u(${cols.map((col) => `${col.name} ${col.type}`).join(', ')})
     ${conflict}`,
    [JSON.stringify(records)],
  );
}

/** Valid time as an instant: a date means its midnight UTC. */
export function instant(occurredAt: string): string {
  return new Date(occurredAt).toISOString();
}
