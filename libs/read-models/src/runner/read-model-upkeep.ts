// Keeps the planner's picture of the read models current. Autovacuum falls far behind a first
// build or a rebuild: after a million events no projection table had been analyzed and the GIN
// indexes' pending lists were unmerged, so plans picked the wrong index (open demands addressed to a
// party: 83 ms) and, with statistics, a GIN lookup still scanned the pending entries (21 of 24 ms).
import pg from 'pg';
import { schemaOf } from '../projection.js';

/** A table is tended once this many of its rows changed since it was last analyzed (and a fifth of it). */
const changedRows = 10_000;

/**
 * `VACUUM (ANALYZE)` of every table of the running generations (and the runners' bookkeeping) that
 * changed much since it was last analyzed. Returns the tables it tended.
 */
export async function tendReadModels(pool: pg.Pool, generations: Array<{ projection: string; version: number }>): Promise<string[]> {
  const schemas = generations.map(({ projection, version }) => schemaOf({ name: projection }, version));
  const { rows } = await pool.query<{ schemaname: string; relname: string }>(
    `SELECT schemaname, relname FROM pg_stat_user_tables
     WHERE (schemaname = ANY($1::text[]) OR (schemaname = 'public' AND relname IN ('projection_streams', 'projection_checkpoints')))
       AND n_mod_since_analyze > greatest($2::bigint, n_live_tup / 5)
     ORDER BY n_mod_since_analyze DESC`,
    [schemas, changedRows]);
  const tended: string[] = [];
  for (const { schemaname, relname } of rows) {
    const table = `${pg.escapeIdentifier(schemaname)}.${pg.escapeIdentifier(relname)}`;
    try {
      // Outside a transaction: VACUUM cannot run in one.
      await pool.query(`VACUUM (ANALYZE, SKIP_LOCKED) ${table}`);
      tended.push(`${schemaname}.${relname}`);
    } catch (error) {
      // A generation retired meanwhile took its tables with it.
      if ((error as { code?: string }).code !== '42P01') throw error;
    }
  }
  return tended;
}
