// The relay as a process of its own (ADR 0015): a server started with CHANCERY_RELAY=off appends
// and answers, but publishes nothing; the relay process publishes what it appended, and `chancery
// verify` finds the topic equal to the journal.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AppProcess, client, runCli, serveApp, spawnedAppsGround, type SpawnedAppsGround } from '#testing';

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
  let ground: SpawnedAppsGround;
  const started: AppProcess[] = [];
  beforeAll(async () => {
    ground = await spawnedAppsGround(adminKey);
  });
  afterAll(async () => {
    await Promise.all(started.map((app) => app.kill('SIGTERM')));
    await ground.close();
  });

  async function serve(app: 'standalone' | 'relay', extra: Record<string, string> = {}): Promise<string> {
    const served = await serveApp(app, { ...ground.env, ...extra });
    started.push(served.app);
    return served.url;
  }

  const unpublished = async () => (await ground.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n;

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
    const verified = await runCli(['verify', '--json'], ground.env);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
    // The server's projector reads what the relay published: the demand shows as rejected.
    const demand = await client(url, adminKey).get('/v1/demands/no-enlargement', { 'x-consistency-token': response.body.consistencyToken });
    expect(demand.status).toBe(200);
    expect(demand.body).toMatchObject({ id: 'no-enlargement', by: 'RUS', status: 'rejected' });
  }, 120_000);
});
