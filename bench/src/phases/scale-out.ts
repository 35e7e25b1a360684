// Rebuild scale-out (`--scale-out`, DESIGN §10): the full rebuild of the rebuild phase, by 1, 2 and
// 3 projector processes at once, members of one consumer group sharing the events topic's
// partitions, each run into a fresh database of its own (read models never built) with a group of
// its own. Two rates: from the first projector ready to the end of the topic (what an operator
// starting N of them sees, the others' start-up and the group's rebalances included), and over
// the steady window, from the group stable with all N members to the end, with the CPU each
// process spent in that window: the cost per event of each, from which a spread over machines is
// estimated (BENCHMARKS.md).
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { migrations } from '#read-models';
import type { BenchContext } from '../context.js';
import type { CpuUse } from '../cpu.js';
import { dropDatabase, endOffsets, recreateDatabase, withAdmin } from '../infra.js';
import { progress } from '../log.js';
import { AppProcess } from '../processes.js';
import { checkpoints } from './rebuild.js';

export const scaleOutDatabase = 'chancery_bench_scale';

export type ScaleOutRun = {
  projectors: number;
  events: number;
  /** First projector ready → every checkpoint at the end. */
  seconds: number;
  eventsPerSec: number;
  /** First projector ready → the group stable with every member (null: the rebuild ended first). */
  groupStableAfterSeconds: number | null;
  /** Group stable → the end: events applied in that window over its seconds. */
  steady: { seconds: number; events: number; eventsPerSec: number; cpu?: CpuUse } | null;
  /** CPU milliseconds per 1,000 events in the steady window: the projectors together, Postgres, the broker. */
  cpuMsPerThousandEvents: { projectors: number; postgres: number; broker: number } | null;
  peakRssMb: number[];
  /**
   * The scale-out database's transactions (pg_stat_database): committed (the projectors' batches, and
   * their bookkeeping), rolled back and deadlocked (batches applied again after colliding on shared rows).
   */
  commits: number;
  rollbacks: number;
  deadlocks: number;
  /**
   * What the database's busy backends were doing in the steady window, sampled every 100 ms: per
   * `wait_event_type:wait_event` (or `cpu`, running), the share of samples × backends. Where it is
   * not `cpu`, the writers wait on each other (locks, the WAL, the same index pages).
   */
  backends: { sampled: number; busyPerSample: number; states: Record<string, number> } | null;
};

/** Samples pg_stat_activity of the database until stopped. */
function sampleBackends(pool: pg.Pool) {
  const states = new Map<string, number>();
  let samples = 0;
  let busy = 0;
  let stopped = false;
  const sampling = (async () => {
    while (!stopped) {
      const { rows } = await pool.query<{ state: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'cpu') AS state FROM pg_stat_activity
         WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`).catch(() => ({ rows: [] as Array<{ state: string }> }));
      samples++;
      busy += rows.length;
      for (const { state } of rows) states.set(state, (states.get(state) ?? 0) + 1);
      await sleep(100);
    }
  })();
  return async (): Promise<ScaleOutRun['backends']> => {
    stopped = true;
    await sampling;
    if (samples === 0 || busy === 0) return null;
    const shares = [...states].sort(([, a], [, b]) => b - a).map(([state, count]) => [state, Math.round((count / busy) * 1000) / 1000] as const);
    return { sampled: samples, busyPerSample: Math.round((busy / samples) * 100) / 100, states: Object.fromEntries(shares) };
  };
}

/** A window shorter than this says more about timer resolution than about a rate. */
const shortestWindowMs = 3_000;

async function migrate(url: string): Promise<void> {
  const dataSource = new DataSource({ type: 'postgres', url, migrations, migrationsTransactionMode: 'each' });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}

async function groupMembers(context: BenchContext, groupId: string): Promise<number> {
  return withAdmin(context.brokers, async (admin) => {
    const { groups } = await admin.describeGroups([groupId]);
    return groups[0]?.state === 'Stable' ? groups[0].members.length : 0;
  });
}

async function runWith(context: BenchContext, projectors: number, timeoutMs: number): Promise<ScaleOutRun> {
  const url = await recreateDatabase(scaleOutDatabase);
  // Migrated before the projectors start, so that they start together without racing to migrate.
  await migrate(url);
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  pool.on('error', () => {});
  const groupPrefix = `${context.prefix}-scale-${projectors}`;
  const ends = await endOffsets(context.brokers, `${context.prefix}.events`);
  const events = [...ends.values()].reduce((sum, end) => sum + Number(end), 0);
  const started: AppProcess[] = [];
  try {
    let firstReady: number | undefined;
    await Promise.all(Array.from({ length: projectors }, async (_, index) => {
      const app = await AppProcess.start('projector', { ...context.appEnv, DATABASE_URL: url, CHANCERY_CONSUMER_GROUP_PREFIX: groupPrefix },
        context.options.profileDir, projectors === 1 ? 'projector' : `projector-${index + 1}`);
      firstReady ??= performance.now();
      started.push(app);
    }));
    const deadline = Date.now() + timeoutMs;
    const done = async () => {
      const state = await checkpoints(pool, ends);
      return { caughtUp: state.caughtUp, events: state.live.length === 0 ? 0 : state.done / state.live.length };
    };
    const waitFor = async (what: string, until: () => Promise<boolean>, everyMs = 50) => {
      while (!(await until())) {
        const exited = started.find((app) => app.child.exitCode !== null);
        if (exited) throw new Error(`${exited.label} exited during the scale-out rebuild:\n${exited.tail()}`);
        if (Date.now() > deadline) throw new Error(`the scale-out rebuild with ${projectors} projectors: ${what} not within ${timeoutMs / 1000} s`);
        await sleep(everyMs);
      }
    };

    let stableAt: number | undefined;
    let atStable = 0;
    await waitFor('the group stable with every member', async () => {
      const state = await done();
      if (state.caughtUp) return true;
      if ((await groupMembers(context, `${groupPrefix}.projections.live`)) !== projectors) return false;
      stableAt = performance.now();
      atStable = (await done()).events;
      return true;
    }, 250);
    let steady: ScaleOutRun['steady'] = null;
    let backends: ScaleOutRun['backends'] = null;
    if (stableAt !== undefined) {
      const label = `rebuild by ${projectors} projector${projectors === 1 ? '' : 's'}, steady`;
      const sampled = sampleBackends(pool);
      await context.cpu.measure(label, () => waitFor('the end of the topic', async () => (await done()).caughtUp));
      backends = await sampled();
      const windowMs = performance.now() - stableAt;
      if (windowMs >= shortestWindowMs) {
        const applied = events - atStable;
        steady = { seconds: Math.round(windowMs / 10) / 100, events: Math.round(applied), eventsPerSec: Math.round(applied / (windowMs / 1000)), cpu: context.cpu.phases[label] };
      }
    }
    const finished = performance.now();
    const seconds = (finished - firstReady!) / 1000;
    const { rows: [database] } = await pool.query<{ commits: string; rollbacks: string; deadlocks: string }>(
      'SELECT xact_commit AS commits, xact_rollback AS rollbacks, deadlocks FROM pg_stat_database WHERE datname = current_database()');
    const cpu = steady?.cpu;
    const perThousand = (cpuSeconds: number) => Math.round((cpuSeconds * 1000 * 1000) / steady!.events);
    return {
      projectors,
      events,
      seconds: Math.round(seconds * 100) / 100,
      eventsPerSec: Math.round(events / seconds),
      groupStableAfterSeconds: stableAt === undefined ? null : Math.round((stableAt - firstReady!) / 10) / 100,
      steady,
      cpuMsPerThousandEvents: cpu && steady ? {
        projectors: perThousand(Object.entries(cpu.byProcess).filter(([name]) => name.startsWith('projector')).reduce((sum, [, seconds]) => sum + seconds, 0)),
        postgres: perThousand(cpu.byProcess.postgres ?? 0),
        broker: perThousand(cpu.byProcess['kafka-broker'] ?? 0),
      } : null,
      peakRssMb: started.map((app) => app.peakRssMb),
      commits: Number(database!.commits),
      rollbacks: Number(database!.rollbacks),
      deadlocks: Number(database!.deadlocks),
      backends,
    };
  } finally {
    await Promise.all(started.map((app) => app.stop()));
    await pool.end();
    await dropDatabase(scaleOutDatabase);
  }
}

/** One rebuild each by 1, 2 and 3 projector processes. */
export async function scaleOut(context: BenchContext, timeoutMs: number): Promise<ScaleOutRun[]> {
  const runs: ScaleOutRun[] = [];
  for (const projectors of [1, 2, 3]) {
    progress(`scale-out: rebuild by ${projectors} projector process${projectors === 1 ? '' : 'es'} in one group, into a database of its own…`);
    const run = await runWith(context, projectors, timeoutMs);
    progress(`scale-out: ${projectors} → ${run.eventsPerSec.toLocaleString('en')} events/s from the first ready`
      + (run.steady ? `, ${run.steady.eventsPerSec.toLocaleString('en')} events/s once the group was stable (${run.steady.seconds} s)` : ', no steady window (the rebuild ended before the group was stable)')
      + `; ${run.commits.toLocaleString('en')} transactions committed, ${run.rollbacks} rolled back, ${run.deadlocks} deadlocks`
      + (run.backends ? `; busy backends ${run.backends.busyPerSample} on average: ${Object.entries(run.backends.states).slice(0, 4).map(([state, share]) => `${state} ${Math.round(share * 100)} %`).join(', ')}` : ''));
    runs.push(run);
  }
  return runs;
}
