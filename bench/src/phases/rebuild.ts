// Full rebuild: a projector process, new consumer groups, read models never built, reads the events
// topic from offset 0 until every live projection's checkpoint reaches the end of every partition.
import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { tendReadModels } from '#read-models';
import type { BenchContext } from '../context.js';
import { endOffsets } from '../infra.js';
import { progress } from '../log.js';
import { AppProcess } from '../processes.js';

export type RebuildResult = {
  events: number;
  projections: string[];
  /** Spawn → /health/ready (schemas set up, HTTP up). */
  startupSeconds: number;
  /** Ready → every checkpoint at the end of the topic. */
  seconds: number;
  eventsPerSec: number;
  peakRssMb: number;
};

/** No checkpoint moving for this long means a projection has stopped, not that it is slow. */
const stallMs = 60_000;

/** Which projections are short of the end, and by how many events. */
function behind(rows: Array<{ projection: string; partition: number; next_offset: string }>, ends: Map<number, string>): string {
  const short = new Map<string, number>();
  for (const [partition, end] of ends) {
    for (const projection of new Set(rows.map((row) => row.projection))) {
      const at = rows.find((row) => row.projection === projection && row.partition === partition);
      const missing = Number(end) - Number(at?.next_offset ?? 0);
      if (missing > 0) short.set(projection, (short.get(projection) ?? 0) + missing);
    }
  }
  return [...short].map(([projection, missing]) => `${projection} ${missing.toLocaleString('en')} events behind`).join(', ') || 'none behind';
}

/** Sum of next offsets over live projections and partitions, and whether each has reached the end (the scale-out runs read it too). */
export type Checkpoints = { done: number; caughtUp: boolean; live: string[]; rows: Array<{ projection: string; partition: number; next_offset: string }> };

export async function checkpoints(pool: pg.Pool, ends: Map<number, string>): Promise<Checkpoints> {
  const { rows } = await pool.query<{ projection: string; version: number; partition: number; next_offset: string }>(
    `SELECT c.projection, c.version, c.partition, c.next_offset FROM projection_checkpoints c
     JOIN projection_status s ON s.projection = c.projection AND s.version = c.version AND s.is_live`);
  const { rows: live } = await pool.query<{ projection: string; version: number }>(
    'SELECT projection, version FROM projection_status WHERE is_live ORDER BY projection');
  const done = rows.reduce((sum, row) => sum + Math.min(Number(row.next_offset), Number(ends.get(row.partition) ?? 0)), 0);
  const caughtUp = live.length > 0 && live.every((projection) => [...ends].every(([partition, end]) =>
    Number(end) === 0 || rows.some((row) => row.projection === projection.projection && row.version === projection.version
      && row.partition === partition && BigInt(row.next_offset) >= BigInt(end))));
  return { done, caughtUp, live: live.map((projection) => `${projection.projection}@v${projection.version}`), rows };
}

export async function rebuild(context: BenchContext, pool: pg.Pool, timeoutMs: number): Promise<{ result: RebuildResult; projector: AppProcess }> {
  const ends = await endOffsets(context.brokers, `${context.prefix}.events`);
  const events = [...ends.values()].reduce((sum, end) => sum + Number(end), 0);
  const spawned = performance.now();
  const projector = await AppProcess.start('projector', { ...context.appEnv, CHANCERY_CONSUMER_GROUP_PREFIX: `${context.prefix}-rebuild` }, context.options.profileDir);
  const ready = performance.now();
  progress(`rebuild: projector ready in ${((ready - spawned) / 1000).toFixed(1)} s; reading ${events.toLocaleString('en')} events from offset 0`);
  const deadline = Date.now() + timeoutMs;
  let lastReport = performance.now();
  let state = await checkpoints(pool, ends);
  let progressAt = { done: state.done, at: Date.now() };
  while (!state.caughtUp) {
    if (projector.child.exitCode !== null) throw new Error(`the projector exited during the rebuild:\n${projector.tail()}`);
    if (Date.now() > deadline) throw new Error(`the rebuild did not finish within ${timeoutMs / 1000} s`);
    if (state.done !== progressAt.done) progressAt = { done: state.done, at: Date.now() };
    if (Date.now() - progressAt.at > stallMs) {
      throw new Error(`the rebuild stalled: no checkpoint moved for ${stallMs / 1000} s (${behind(state.rows, ends)})`);
    }
    if (performance.now() - lastReport > 5_000) {
      lastReport = performance.now();
      const share = state.live.length === 0 ? 0 : state.done / (events * state.live.length);
      progress(`rebuild: ${(share * 100).toFixed(0)} % of ${state.live.length} projections × ${events.toLocaleString('en')} events`);
    }
    await sleep(50);
    state = await checkpoints(pool, ends);
  }
  const finished = performance.now();
  const seconds = (finished - ready) / 1000;
  return {
    projector,
    result: {
      events,
      projections: state.live,
      startupSeconds: Math.round((ready - spawned) / 10) / 100,
      seconds: Math.round(seconds * 100) / 100,
      eventsPerSec: Math.round(events / seconds),
      peakRssMb: projector.peakRssMb,
    },
  };
}

/** Waits until every live projection has applied the whole topic; the events it holds. */
export async function caughtUp(context: BenchContext, pool: pg.Pool, timeoutMs: number): Promise<number> {
  const ends = await endOffsets(context.brokers, `${context.prefix}.events`);
  const deadline = Date.now() + timeoutMs;
  while (!(await checkpoints(pool, ends)).caughtUp) {
    if (Date.now() > deadline) throw new Error(`the projector did not catch up within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
  return [...ends.values()].reduce((sum, end) => sum + Number(end), 0);
}

export type UpkeepResult = { seconds: number; tables: string[]; timedOut: boolean };

/**
 * A rebuild leaves tables that were never vacuumed or analyzed: the projector's upkeep (every 30 s)
 * and autovacuum then work through them, and reads and writes meanwhile share the machine with that
 * (at a million events, the projector's upkeep had still been at work in the queries). This does the
 * upkeep's work at once and waits until no vacuum or analyze is running in the database, so the
 * queries and commands after it are measured on tended read models. How long it took is reported
 * beside the rebuild.
 */
export async function tendAfterRebuild(pool: pg.Pool, timeoutMs: number): Promise<UpkeepResult> {
  const started = performance.now();
  const deadline = Date.now() + timeoutMs;
  const { rows: generations } = await pool.query<{ projection: string; version: number }>(
    'SELECT projection, version FROM projection_status WHERE is_live');
  const tables = new Set<string>();
  let timedOut = false;
  for (;;) {
    const tended = await tendReadModels(pool, generations);
    for (const table of tended) tables.add(table);
    const { rows } = await pool.query<{ running: number }>(
      `SELECT (SELECT count(*) FROM pg_stat_progress_vacuum WHERE datname = current_database())
            + (SELECT count(*) FROM pg_stat_progress_analyze WHERE datname = current_database()) AS running`);
    if (tended.length === 0 && Number(rows[0]!.running) === 0) break;
    if (Date.now() > deadline) {
      timedOut = true;
      break;
    }
    await sleep(1_000);
  }
  return { seconds: Math.round((performance.now() - started) / 10) / 100, tables: [...tables], timedOut };
}
