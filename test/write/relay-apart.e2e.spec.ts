// The relay as a process of its own (ADR 0015): a server started with CHANCERY_RELAY=off appends
// and answers, but publishes nothing; the relay process publishes what it appended, and `chancery
// verify` finds the topic equal to the journal.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  client, createTestDatabase, deleteTestTopics, freePort, runCli, spawnApp, type AppProcess, type TestDatabase, testBrokers, testTopicPrefix,
} from '#testing';

const adminKey = 'relay-apart-admin-key-000000';
const provenance = { occurredAt: '2022-01-12', sources: [{ citation: 'IRNA quoting Reuters' }] };

const lines = [
  { command: 'RegisterParty', id: 'NATO', name: 'NATO', kind: 'organization' },
  { command: 'RegisterParty', id: 'RUS', name: 'Russia', kind: 'state' },
  { command: 'RegisterIssue', id: 'nato-enlargement', title: 'NATO enlargement' },
  { command: 'IssueDemand', id: 'no-enlargement', by: 'RUS', addressedTo: ['NATO'], issue: 'nato-enlargement', summary: 'No further NATO enlargement', ...provenance },
  { command: 'RejectDemand', demandId: 'no-enlargement', by: 'NATO', ...provenance },
].map((line) => JSON.stringify(line)).join('\n');

describe('the relay as a process of its own', () => {
  const prefix = testTopicPrefix();
  let database: TestDatabase;
  let pool: pg.Pool;
  let env: Record<string, string>;
  const started: AppProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url });
    pool.on('error', () => {});
    env = {
      DATABASE_URL: database.url, KAFKA_BROKERS: testBrokers().join(','), CHANCERY_TOPIC_PREFIX: prefix,
      CHANCERY_EVENT_PARTITIONS: '3', CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey,
    };
  });

  afterAll(async () => {
    await Promise.all(started.map((app) => app.kill('SIGTERM')));
    await pool.end();
    await database.drop();
    await deleteTestTopics(prefix);
  });

  async function serve(app: 'standalone' | 'relay', extra: Record<string, string> = {}): Promise<string> {
    const port = await freePort();
    const process = spawnApp(app, { ...env, PORT: String(port), ...extra });
    started.push(process);
    const url = `http://127.0.0.1:${port}`;
    for (let waited = 0; waited < 600; waited++) {
      if (process.child.exitCode !== null) throw new Error(`${app} exited:\n${process.output()}`);
      if ((await fetch(`${url}/health/ready`).catch(() => undefined))?.ok) return url;
      await sleep(50);
    }
    throw new Error(`${app} did not start:\n${process.output()}`);
  }

  const unpublished = async () => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n;

  it('publishes what a server without a relay appended, and the topic equals the journal', async () => {
    const url = await serve('standalone', { CHANCERY_RELAY: 'off' });
    const response = await client(url, adminKey).post('/v1/import', lines, { 'content-type': 'application/x-ndjson' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 5, rejected: [] });
    // The server's own relay would have published within a poll (a second); nothing does.
    await sleep(2_000);
    expect(await unpublished()).toBe(5);

    await serve('relay');
    for (let waited = 0; (await unpublished()) > 0; waited++) {
      if (waited > 300) throw new Error('the relay did not publish the outbox');
      await sleep(100);
    }
    const verified = await runCli(['verify', '--json'], env);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
    // The server's projector reads what the relay published: the demand shows as rejected.
    const demand = await client(url, adminKey).get('/v1/demands/no-enlargement', { 'x-consistency-token': response.body.consistencyToken });
    expect(demand.status).toBe(200);
    expect(demand.body).toMatchObject({ id: 'no-enlargement', by: 'RUS', status: 'rejected' });
  }, 120_000);
});
