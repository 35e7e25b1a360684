// Each app as the process it runs as in production (the compiled apps): its /metrics has the default
// process metrics, and the consumer lag of the groups it consumes in, per partition; its health
// endpoints answer without a key.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { type AppName, type AppProcess, client, declaredMetrics, metricSample, metricSamples, serveApp, spawnedAppsGround, type SpawnedAppsGround, waitFor } from '#testing';

const adminKey = 'every-app-metrics-admin-key-0';
const provenance = { occurredAt: '2022-01-12', sources: [{ citation: 'IRNA quoting Reuters' }] };
/** The advisory lock every alerter transaction takes (apps/alerter/src/evaluation/alerter.projection.ts). */
const alerterLockKey = 0x43_48_41_4c;
const apps: AppName[] = ['command-api', 'relay', 'projector', 'alerter', 'query-api'];

describe('/metrics and /health of every app', () => {
  let ground: SpawnedAppsGround;
  const urls = new Map<AppName, string>();
  const started: AppProcess[] = [];

  beforeAll(async () => {
    ground = await spawnedAppsGround(adminKey);
    for (const app of apps) {
      // The command-api publishes too unless told not to: the relay process does it here.
      const served = await serveApp(app, { ...ground.env, CHANCERY_RELAY: 'off' });
      started.push(served.app);
      urls.set(app, served.url);
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(started.map((app) => app.kill('SIGTERM')));
    await ground.close();
  });

  const metricsOf = async (app: AppName) => {
    const response = await client(urls.get(app)!, adminKey).get('/metrics');
    expect(response.status).toBe(200);
    return String(response.body);
  };
  const lagOf = async (app: AppName) => metricSamples(await metricsOf(app), 'chancery_consumer_lag_events');

  it('serves the default process metrics and the consumer lag gauge in each app, and health without a key', async () => {
    for (const app of apps) {
      const text = await metricsOf(app);
      expect({ app, cpu: metricSample(text, 'process_cpu_seconds_total')! > 0 }).toEqual({ app, cpu: true });
      expect({ app, memory: metricSample(text, 'process_resident_memory_bytes')! > 0 }).toEqual({ app, memory: true });
      expect({ app, gauge: declaredMetrics(text).has('chancery_consumer_lag_events') }).toEqual({ app, gauge: true });
      expect({ app, live: (await fetch(`${urls.get(app)}/health/live`)).status }).toEqual({ app, live: 200 });
      expect({ app, ready: (await fetch(`${urls.get(app)}/health/ready`)).status }).toEqual({ app, ready: 200 });
    }
    // Only the apps that consume report a group; the others consume nothing.
    for (const app of ['command-api', 'relay', 'query-api'] as const) expect({ app, lag: await lagOf(app) }).toEqual({ app, lag: [] });
  });

  it('shows, in the projector and the alerter, each group\'s lag per partition: behind while held, 0 once caught up', async () => {
    const { prefix } = ground;
    const live = `${prefix}.projections.live`;
    const alerter = `${prefix}.projection.alerter.v1`;
    const writer = client(urls.get('command-api')!, adminKey);
    await writer.post('/v1/parties', { id: 'NATO', name: 'NATO', kind: 'organization' });
    await writer.post('/v1/issues', { id: 'nato-open-door', title: 'NATO open door' });
    const groupsCaughtUp = async (app: AppName, group: string) => {
      const lag = (await lagOf(app)).filter(({ labels }) => labels.group === group);
      return lag.length === 3 && lag.every(({ value }) => value === 0);
    };
    // Both registrations applied by the alerter (its checkpoints), then no lag left in either group.
    const alerterPassed = async () => (await ground.pool.query<{ n: number }>(
      "SELECT coalesce(sum(next_offset), 0)::int AS n FROM projection_checkpoints WHERE projection = 'alerter'")).rows[0]!.n;
    await waitFor(async () => (await alerterPassed()) === 2);
    await waitFor(() => groupsCaughtUp('projector', live));
    await waitFor(() => groupsCaughtUp('alerter', alerter));
    expect(new Set((await lagOf('projector')).map(({ labels }) => labels.group))).toEqual(new Set([live]));
    expect(new Set((await lagOf('alerter')).map(({ labels }) => labels.group))).toEqual(new Set([alerter]));

    // Held on the lock its every batch takes, the alerter commits no offset: its group falls behind
    // on the statements' partition, while the projector's does not.
    const lockHolder = new pg.Client({ connectionString: ground.database.url });
    await lockHolder.connect();
    try {
      await lockHolder.query('SELECT pg_advisory_lock($1)', [alerterLockKey]);
      for (const summary of ['one', 'two', 'three']) {
        await writer.post('/v1/statements', { by: 'NATO', issue: 'nato-open-door', stance: 'supports', summary, ...provenance });
      }
      await waitFor(async () => (await lagOf('alerter')).some(({ value }) => value === 3));
      expect((await lagOf('alerter')).filter(({ value }) => value > 0)).toEqual([
        { labels: { group: alerter, topic: `${prefix}.events`, partition: expect.any(String) }, value: 3 },
      ]);
      await waitFor(() => groupsCaughtUp('projector', live));
    } finally {
      await lockHolder.query('SELECT pg_advisory_unlock($1)', [alerterLockKey]);
      await lockHolder.end();
    }
    await waitFor(() => groupsCaughtUp('alerter', alerter));
  }, 120_000);
});
