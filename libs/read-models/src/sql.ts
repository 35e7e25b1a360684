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
 * Inserts `rows` (one array of values per row, in column order) with one statement. Postgres
 * cannot unnest arrays of arrays, so array and jsonb columns travel as JSON text and are cast back.
 */
export async function insertRows(
  tx: pg.PoolClient,
  table: string,
  cols: Column[],
  rows: unknown[][],
  conflict = '',
): Promise<void> {
  if (rows.length === 0) return;
  const travelsAsJson = (type: string) => type.endsWith('[]') || type === 'jsonb';
  const params = cols.map((col, index) => rows.map((row) => {
    const value = row[index];
    return travelsAsJson(col.type) && value !== null && value !== undefined ? JSON.stringify(value) : value ?? null;
  }));
  const unnestTypes = cols.map((col, index) => `$${index + 1}::${travelsAsJson(col.type) ? 'text' : col.type}[]`);
  const selects = cols.map((col) => {
    if (col.type === 'jsonb') return `u.${col.name}::jsonb`;
    if (col.type.endsWith('[]')) {
      return `ARRAY(SELECT jsonb_array_elements_text(u.${col.name}::jsonb))::${col.type}`;
    }
    return `u.${col.name}`;
  });
  await tx.query(
    `INSERT INTO ${table} (${cols.map((col) => col.name).join(', ')})
     SELECT ${selects.join(', ')} FROM unnest(${unnestTypes.join(', ')}) AS u(${cols.map((col) => col.name).join(', ')})
     ${conflict}`,
    params,
  );
}

/** Valid time as an instant: a date means its midnight UTC. */
export function instant(occurredAt: string): string {
  return new Date(occurredAt).toISOString();
}
