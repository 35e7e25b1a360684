// Creates a projection version's schema and tables, registers it, and points the public views at
// the live version. Several processes may start at once: an advisory lock makes it one at a time.
import type pg from 'pg';
import { type Projection, schemaOf } from '../projection.js';

const setupLockKey = 0x43_48_50_53; // 'CHPS'

export type VersionRole = 'live' | 'rebuilding';

/** The views in `public` that dashboards read, replaced in the caller's transaction. */
export async function pointViewsAt(tx: pg.PoolClient, projection: Projection): Promise<void> {
  const schema = schemaOf(projection);
  for (const table of projection.tables) {
    await tx.query(`DROP VIEW IF EXISTS public.${table}`);
    await tx.query(`CREATE VIEW public.${table} AS SELECT * FROM ${schema}.${table}`);
  }
}

export async function setUpProjection(pool: pg.Pool, projection: Projection): Promise<VersionRole> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    await tx.query('SELECT pg_advisory_xact_lock($1)', [setupLockKey]);
    const schema = schemaOf(projection);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    for (const statement of projection.setup(schema)) await tx.query(statement);
    const live = await tx.query<{ version: number }>(
      'SELECT version FROM projection_status WHERE projection = $1 AND is_live', [projection.name]);
    const liveVersion = live.rows[0]?.version;
    const role: VersionRole = liveVersion === undefined || liveVersion === projection.version ? 'live' : 'rebuilding';
    await tx.query(
      `INSERT INTO projection_status (projection, version, status, is_live) VALUES ($1, $2, $3, $4)
       ON CONFLICT (projection, version) DO NOTHING`,
      [projection.name, projection.version, role, role === 'live']);
    if (role === 'live') await pointViewsAt(tx, projection);
    await tx.query('COMMIT');
    return role;
  } catch (error) {
    await tx.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    tx.release();
  }
}
