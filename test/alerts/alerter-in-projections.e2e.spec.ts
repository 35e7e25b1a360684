// The alerter in GET /v1/projections: an operator sees when alerts are behind (events and age per
// partition) and when the alerter halted, beside the projections, which it never holds back.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createKafka, EventLogProducer } from '#event-log';
import { client, type Client, startTestApp, type TestApp, testBrokers, waitFor } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'alerter-overview-admin-key-00';
const provenance = { occurredAt: '2022-01-12', sources: [{ citation: 'IRNA quoting Reuters' }] };
/** The advisory lock every alerter transaction takes (apps/alerter/src/evaluation/alerter.projection.ts). */
const alerterLockKey = 0x43_48_41_4c;

type PartitionLag = { partition: number; events: number; oldestUnprocessedAgeSeconds: number | null };
type Overview = {
  name: string; kind: string; version: number; status: string; live: boolean; consumerGroup: string; failures: number; eventsApplied: number;
  lag: { events: number; seconds: number | null; partitions: PartitionLag[] }; progress: unknown; lastEventAt: string | null;
};

async function overviews(admin: Client): Promise<Overview[]> {
  const response = await admin.get<Overview[]>('/v1/projections');
  expect(response.status).toBe(200);
  return response.body;
}

const alerterOf = async (admin: Client) => (await overviews(admin)).find((overview) => overview.name === 'alerter');

async function setUp(env: Record<string, string> = {}) {
  const served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey, ...env });
  const admin = client(served.baseUrl, adminKey);
  await admin.post('/v1/parties', { id: 'NATO', name: 'NATO', kind: 'organization' });
  await admin.post('/v1/issues', { id: 'nato-open-door', title: 'NATO open door' });
  return { served, admin };
}

const statement = (summary: string) => ({ by: 'NATO', issue: 'nato-open-door', stance: 'supports', summary, ...provenance });

describe('the alerter in GET /v1/projections', () => {
  let served: TestApp;
  let admin: Client;
  let lockHolder: pg.Client;

  beforeAll(async () => {
    ({ served, admin } = await setUp());
    lockHolder = new pg.Client({ connectionString: served.database.url });
    await lockHolder.connect();
  });

  afterAll(async () => {
    await lockHolder.end();
    await served.close();
  });

  it('is listed after the projections, live, with its own consumer group and no lag once caught up', async () => {
    await admin.post('/v1/statements', statement('open door stays'));
    await waitFor(async () => {
      const alerter = await alerterOf(admin);
      return alerter?.eventsApplied === 1 && alerter.lag.events === 0;
    });
    const listed = await overviews(admin);
    expect(listed.at(-1)!.name).toBe('alerter');
    expect(listed.filter((overview) => overview.kind === 'read-model').length).toBe(listed.length - 1);
    expect(listed.at(-1)).toMatchObject({
      kind: 'alerter', version: 1, status: 'live', live: false, failures: 0, progress: null,
      consumerGroup: `${served.config.kafka.groupPrefix}.projection.alerter.v1`,
      lag: { events: 0, seconds: null },
    });
    expect(listed.at(-1)!.lag.partitions).toHaveLength(3);
    expect(listed.at(-1)!.lastEventAt).not.toBeNull();
    const timeline = listed.find((overview) => overview.name === 'timeline')!;
    expect(timeline.consumerGroup).toBe(`${served.config.kafka.groupPrefix}.projections.live`);
  });

  it('shows the events it is behind by, per partition, with their age, while the read models are not held back', async () => {
    // Holding the lock its every batch takes stops the alerter where it stands, as a stuck database would.
    await lockHolder.query('SELECT pg_advisory_lock($1)', [alerterLockKey]);
    let behind: Overview | undefined;
    try {
      let token = '';
      for (const summary of ['one', 'two', 'three']) token = (await admin.post('/v1/statements', statement(summary))).body.consistencyToken;
      // Readable at once: consistency tokens wait for the read models, never for the alerter.
      expect((await admin.get('/v1/timeline?limit=1', { 'x-consistency-token': token })).status).toBe(200);
      await waitFor(async () => (behind = await alerterOf(admin))!.lag.events === 3);
      expect(behind!.status).toBe('live');
      const lagging = behind!.lag.partitions.filter((partition) => partition.events > 0);
      // One stream (party-NATO), so one partition holds all three.
      expect(lagging).toEqual([{ partition: expect.any(Number), events: 3, oldestUnprocessedAgeSeconds: expect.any(Number) }]);
      expect(lagging[0]!.oldestUnprocessedAgeSeconds).toBeGreaterThanOrEqual(0);
      expect(behind!.lag.seconds).toBe(lagging[0]!.oldestUnprocessedAgeSeconds);
      const readModels = (await overviews(admin)).filter((overview) => overview.kind === 'read-model');
      expect(readModels.map((overview) => overview.lag.events)).toEqual(readModels.map(() => 0));
    } finally {
      await lockHolder.query('SELECT pg_advisory_unlock($1)', [alerterLockKey]);
    }
    await waitFor(async () => (await alerterOf(admin))!.lag.events === 0);
    expect((await alerterOf(admin))!.eventsApplied).toBe(4);
  });

  it('is not a projection to rebuild', async () => {
    expect((await admin.post('/v1/projections/alerter/rebuild', {})).status).toBe(404);
  });
});

describe('a halted alerter in GET /v1/projections', () => {
  let served: TestApp;
  let admin: Client;
  let producer: EventLogProducer;

  beforeAll(async () => {
    ({ served, admin } = await setUp({ CHANCERY_PROJECTION_FAILURE_POLICY: 'halt' }));
    producer = new EventLogProducer(createKafka(testBrokers(), 'alerter-overview-test'));
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await served.close();
  });

  it('says halted, with the event it could not read counted among its failures', async () => {
    // Past the two registrations first, so the record it halts at is all it is behind by.
    const db = new pg.Client({ connectionString: served.database.url });
    await db.connect();
    const passed = async () => (await db.query<{ n: number }>(
      "SELECT coalesce(sum(next_offset), 0)::int AS n FROM projection_checkpoints WHERE projection = 'alerter'")).rows[0]!.n;
    await waitFor(async () => (await passed()) === 2).finally(() => db.end());
    expect((await alerterOf(admin))?.status).toBe('live');
    const topic = served.config.kafka.topicPrefix + '.events';
    await producer.publish(topic, 3, [{ key: 'party-NATO', value: 'not an event envelope', headers: {} }]);
    await waitFor(async () => (await alerterOf(admin))?.status === 'halted', 60_000);
    expect(await alerterOf(admin)).toMatchObject({ kind: 'alerter', status: 'halted', failures: 1, lag: { events: 1 } });
  }, 90_000);
});
