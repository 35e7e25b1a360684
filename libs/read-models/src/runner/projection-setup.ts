// Generations of a projection (ADR 0004): each in a schema of its own, the live one behind the
// `public` views. Set-up at start, rebuild requests, and the atomic swap once a rebuild caught up.
// Several processes may do these at once: an advisory lock makes them one at a time.
import type pg from 'pg';
import { type Projection, schemaOf } from '../projection.js';

const setupLockKey = 0x43_48_50_53; // 'CHPS'

/** NOTIFY channel that tells projectors to look again at which generations they should run. */
export const projectionControlChannel = 'chancery_projection_control';

export type GenerationRow = {
  projection: string;
  version: number;
  status: 'live' | 'rebuilding' | 'failed' | 'halted' | 'retired';
  is_live: boolean;
  code_version: number;
  started_at: Date;
};

export class RebuildInProgress extends Error {
  constructor(readonly projection: string, readonly generation: number) {
    super(`${projection} is already being rebuilt (generation ${generation})`);
  }
}

/**
 * Points the views in `public` that dashboards read at a generation, in the caller's transaction and
 * in the order of the projection's `tables`. A query joining several of them names them in that
 * order too, or a read during a swap can deadlock with it.
 */
export async function pointViewsAt(tx: pg.PoolClient, projection: Projection, generation: number): Promise<void> {
  const schema = schemaOf(projection, generation);
  for (const table of projection.tables) {
    await tx.query(`DROP VIEW IF EXISTS public.${table}`);
    await tx.query(`CREATE VIEW public.${table} AS SELECT * FROM ${schema}.${table}`);
  }
}

async function createTables(tx: pg.PoolClient, projection: Projection, generation: number): Promise<void> {
  const schema = schemaOf(projection, generation);
  await tx.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  for (const statement of projection.setup(schema)) await tx.query(statement);
}

async function locked<T>(pool: pg.Pool, work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    await tx.query('SELECT pg_advisory_xact_lock($1)', [setupLockKey]);
    const result = await work(tx);
    await tx.query('COMMIT');
    return result;
  } catch (error) {
    await tx.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    tx.release();
  }
}

export async function generationsOf(db: pg.Pool | pg.PoolClient, name: string): Promise<GenerationRow[]> {
  const { rows } = await db.query<GenerationRow>(
    `SELECT projection, version, status, is_live, code_version, started_at
     FROM projection_status WHERE projection = $1 ORDER BY version`, [name]);
  return rows;
}

async function startGeneration(tx: pg.PoolClient, projection: Projection, rows: GenerationRow[]): Promise<number> {
  const generation = Math.max(projection.version, ...rows.map((row) => row.version + 1));
  await createTables(tx, projection, generation);
  await tx.query(
    "INSERT INTO projection_status (projection, version, status, is_live, code_version) VALUES ($1, $2, 'rebuilding', false, $3)",
    [projection.name, generation, projection.version]);
  await tx.query(`SELECT pg_notify('${projectionControlChannel}', $1)`, [projection.name]);
  return generation;
}

/**
 * Makes sure the projection has a live generation (the first one is live from the start: there is
 * nothing to hide yet) and, when the code's version differs from the live generation's, a rebuild
 * of the new code beside it. Idempotent; every reading or writing process runs it before serving.
 */
export async function setUpProjection(pool: pg.Pool, projection: Projection): Promise<{ live: number; rebuilding?: number }> {
  return locked(pool, async (tx) => {
    const rows = await generationsOf(tx, projection.name);
    let live = rows.find((row) => row.is_live);
    if (!live) {
      const generation = Math.max(projection.version, ...rows.map((row) => row.version + 1));
      await createTables(tx, projection, generation);
      await tx.query(
        "INSERT INTO projection_status (projection, version, status, is_live, code_version) VALUES ($1, $2, 'live', true, $3)",
        [projection.name, generation, projection.version]);
      await pointViewsAt(tx, projection, generation);
      return { live: generation };
    }
    const rebuilding = rows.find((row) => row.status === 'rebuilding');
    if (live.code_version === projection.version) {
      await createTables(tx, projection, live.version);
    } else if (!rebuilding) {
      return { live: live.version, rebuilding: await startGeneration(tx, projection, rows) };
    }
    if (rebuilding) await createTables(tx, projection, rebuilding.version);
    live = rows.find((row) => row.is_live)!;
    return { live: live.version, rebuilding: rebuilding?.version };
  });
}

/** Starts a rebuild from offset 0 beside the live generation; one at a time per projection. */
export async function requestRebuild(pool: pg.Pool, projection: Projection): Promise<number> {
  return locked(pool, async (tx) => {
    const rows = await generationsOf(tx, projection.name);
    const running = rows.find((row) => row.status === 'rebuilding');
    if (running) throw new RebuildInProgress(projection.name, running.version);
    return startGeneration(tx, projection, rows);
  });
}

export type SwapOutcome = { swapped: false } | { swapped: true; from: number; to: number; tookMs: number };

/**
 * Swaps a rebuilt generation in when its checkpoints have reached the live one's on every
 * partition (or the topic's end, when the live one is no longer being fed). One transaction: the
 * live runner's checkpoint rows are locked so it cannot move ahead meanwhile, the views are
 * re-pointed, the flags move. Readers of the views wait only for this transaction.
 */
export async function trySwap(pool: pg.Pool, projection: Projection, generation: number, topicEnds: Map<number, string>): Promise<SwapOutcome> {
  const started = performance.now();
  return locked(pool, async (tx) => {
    const rows = await generationsOf(tx, projection.name);
    const live = rows.find((row) => row.is_live);
    const candidate = rows.find((row) => row.version === generation && row.status === 'rebuilding');
    if (!live || !candidate) return { swapped: false };
    const liveFed = live.code_version === projection.version && live.status === 'live';
    const { rows: liveCheckpoints } = await tx.query<{ partition: number; next_offset: string }>(
      'SELECT partition, next_offset FROM projection_checkpoints WHERE projection = $1 AND version = $2 FOR UPDATE',
      [projection.name, live.version]);
    const { rows: rebuilt } = await tx.query<{ partition: number; next_offset: string }>(
      'SELECT partition, next_offset FROM projection_checkpoints WHERE projection = $1 AND version = $2',
      [projection.name, generation]);
    const reached = new Map(rebuilt.map((row) => [row.partition, BigInt(row.next_offset)]));
    const targets = liveFed
      ? new Map([...topicEnds.keys()].map((partition) => [partition, BigInt(liveCheckpoints.find((row) => row.partition === partition)?.next_offset ?? '0')]))
      : new Map([...topicEnds].map(([partition, end]) => [partition, BigInt(end)]));
    for (const [partition, target] of targets) {
      if ((reached.get(partition) ?? 0n) < target) return { swapped: false };
    }
    await pointViewsAt(tx, projection, generation);
    await tx.query(
      "UPDATE projection_status SET is_live = false, status = 'retired', updated_at = now() WHERE projection = $1 AND version = $2",
      [projection.name, live.version]);
    await tx.query(
      `UPDATE projection_status SET is_live = true, status = 'live', swapped_at = now(), swap_ms = $3, updated_at = now()
       WHERE projection = $1 AND version = $2`,
      [projection.name, generation, performance.now() - started]);
    await tx.query(`SELECT pg_notify('${projectionControlChannel}', $1)`, [projection.name]);
    return { swapped: true, from: live.version, to: generation, tookMs: performance.now() - started };
  });
}

/** After a swap: the retired generation's tables and bookkeeping go. */
export async function dropGeneration(pool: pg.Pool, projection: Projection, generation: number): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS ${schemaOf(projection, generation)} CASCADE`);
  for (const table of ['projection_checkpoints', 'projection_streams']) {
    await pool.query(`DELETE FROM ${table} WHERE projection = $1 AND version = $2`, [projection.name, generation]);
  }
}

/**
 * The alerter's generation, listed beside the projections (kind `alerter`: it feeds no views, so
 * `is_live` stays false and no consistency token waits for it). Each start records it as running
 * again: a halt it hit before is tried anew, as the alerter always did at a restart.
 */
export async function recordAlerterRunning(pool: pg.Pool, projection: Projection, generation: number): Promise<void> {
  await pool.query(
    `INSERT INTO projection_status (projection, version, status, is_live, code_version, kind) VALUES ($1, $2, 'live', false, $3, 'alerter')
     ON CONFLICT (projection, version) DO UPDATE SET status = 'live', code_version = EXCLUDED.code_version, updated_at = now()`,
    [projection.name, generation, projection.version]);
}
