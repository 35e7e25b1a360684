// Set-based writes for projections: many rows in one statement, `INSERT … SELECT FROM unnest(…)`.
import { createHash } from 'node:crypto';
import type pg from 'pg';

const statementNames = new Map<string, string>();

/**
 * A statement each connection parses and plans once, then only binds and runs: named after its text,
 * so one text always has one name. A projection's texts are fixed per schema, so they are few.
 */
export function prepared(text: string, values: unknown[]): pg.QueryConfig {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `rm-${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}

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
  await tx.query(prepared(
    `INSERT INTO ${table} (${names})
     SELECT ${names} FROM json_to_recordset($1::json) AS u(${cols.map((col) => `${col.name} ${col.type}`).join(', ')})
     ${conflict}`,
    [JSON.stringify(records)],
  ));
}

/** Valid time as an instant: a date means its midnight UTC. */
export function instant(occurredAt: string): string {
  return new Date(occurredAt).toISOString();
}
