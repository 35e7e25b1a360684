// "Wait until caught up": every live projection has applied every stream of the journal up to its
// last version. For tests, the bench and consistency tokens; never a sleep.
import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';

/** How many journal streams some live projection has not fully applied yet. */
export async function streamsBehind(pool: pg.Pool | pg.PoolClient): Promise<number> {
  const { rows } = await pool.query<{ behind: number }>(`
    SELECT count(*)::int AS behind
    FROM (SELECT stream_id, max(stream_version) AS last_version FROM journal GROUP BY stream_id) j
    CROSS JOIN projection_status s
    LEFT JOIN projection_streams p ON p.projection = s.projection AND p.version = s.version AND p.stream_id = j.stream_id
    WHERE s.is_live AND coalesce(p.last_version, 0) < j.last_version`);
  return rows[0]!.behind;
}

export async function waitUntilCaughtUp(pool: pg.Pool, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const behind = await streamsBehind(pool);
    if (behind === 0) return;
    if (Date.now() > deadline) throw new Error(`projections still ${behind} stream(s) behind the journal after ${timeoutMs} ms`);
    await sleep(25);
  }
}

/** Whether every live projection has applied `streamId` up to `version`: what a consistency token waits for. */
export async function hasApplied(pool: pg.Pool, streamId: string, version: number): Promise<boolean> {
  const { rows } = await pool.query<{ pending: number }>(`
    SELECT count(*)::int AS pending FROM projection_status s
    LEFT JOIN projection_streams p ON p.projection = s.projection AND p.version = s.version AND p.stream_id = $1
    WHERE s.is_live AND coalesce(p.last_version, 0) < $2`, [streamId, version]);
  return rows[0]!.pending === 0;
}

/**
 * Whether every live projection has applied every journal event with a global position in
 * (after, upTo]: what an import's consistency token waits for.
 */
export async function hasAppliedRange(pool: pg.Pool, after: string, upTo: string): Promise<boolean> {
  const { rows } = await pool.query<{ pending: number }>(`
    SELECT count(*)::int AS pending FROM journal j
    CROSS JOIN projection_status s
    LEFT JOIN projection_streams p ON p.projection = s.projection AND p.version = s.version AND p.stream_id = j.stream_id
    WHERE s.is_live AND j.global_position > $1 AND j.global_position <= $2 AND coalesce(p.last_version, 0) < j.stream_version`,
  [after, upTo]);
  return rows[0]!.pending === 0;
}
