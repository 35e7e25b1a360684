// Real processes killed the worst way: the relay between Kafka's acknowledgement and marking the
// rows published, and the whole stack in the middle of an import. After a restart, `chancery
// verify` finds the topic equal to the journal, and the read models equal a clean run's.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AppProcess, client, createTestDatabase, runCli, serveApp, snapshotReadModels, spawnApp, spawnedAppsGround, type SpawnedAppsGround,
} from '#testing';
import { waitUntilCaughtUp } from '#read-models';

const adminKey = 'crash-admin-key-00000000000';
const provenance = { occurredAt: '2022-01-12', sources: [{ citation: 'IRNA quoting Reuters' }] };

function importLines(count: number, prefix: string): string {
  const lines: unknown[] = [
    { command: 'RegisterParty', id: `${prefix}-NATO`, name: 'NATO', kind: 'organization' },
    { command: 'RegisterParty', id: `${prefix}-RUS`, name: 'Russia', kind: 'state' },
    { command: 'RegisterIssue', id: `${prefix}-issue`, title: 'Ukraine and NATO' },
  ];
  for (let index = 0; lines.length < count; index++) {
    const demandId = `${prefix}-demand-${index}`;
    lines.push({ command: 'IssueDemand', id: demandId, by: `${prefix}-RUS`, addressedTo: [`${prefix}-NATO`], issue: `${prefix}-issue`, summary: `demand ${index}`, ...provenance });
    lines.push({ command: 'RejectDemand', demandId, by: `${prefix}-NATO`, ...provenance });
    lines.push({ command: 'StatePosition', by: `${prefix}-NATO`, issue: `${prefix}-issue`, stance: index % 2 ? 'supports' : 'opposes', summary: `stance ${index}`, ...provenance });
  }
  return lines.map((line) => JSON.stringify(line)).join('\n');
}

describe('relay and whole stack killed with SIGKILL', () => {
  let ground: SpawnedAppsGround;
  beforeAll(async () => {
    ground = await spawnedAppsGround(adminKey);
  });
  afterAll(() => ground.close());

  const serve = (extra: Record<string, string> = {}) => serveApp('standalone', { ...ground.env, ...extra });

  async function unpublished(): Promise<number> {
    const { rows } = await ground.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
    return rows[0]!.n;
  }

  async function drained(): Promise<void> {
    for (let waited = 0; (await unpublished()) > 0; waited++) {
      if (waited > 600) throw new Error('the relay did not drain the journal');
      await sleep(100);
    }
  }

  it('the relay dies after Kafka acknowledged a batch and before marking it; after a restart the topic equals the journal', async () => {
    const { app, url } = await serve({ CHANCERY_FAILPOINT: 'relay-after-publish' });
    const response = await client(url, adminKey).post('/v1/import', importLines(300, 'relay'), { 'content-type': 'application/x-ndjson' })
      .catch(() => undefined);
    await once(app);
    expect(app.child.signalCode).toBe('SIGKILL');
    // Whether or not the answer got out before the kill, the journal holds the import, unmarked.
    if (response) expect(response.status).toBe(200);
    expect(await unpublished()).toBeGreaterThan(0);

    const restarted = await serve();
    try {
      await drained();
      const verified = await runCli(['verify', '--json'], ground.env);
      expect(verified.code).toBe(0);
      const report = JSON.parse(verified.stdout);
      expect(report.ok).toBe(true);
      expect(JSON.stringify(report)).toMatch(/duplicate/i);
    } finally {
      await restarted.app.kill('SIGTERM');
    }
  }, 240_000);

  it('the whole stack dies mid-import; after a restart verify is clean and the read models equal a clean run', async () => {
    const { app, url } = await serve();
    const importing = client(url, adminKey).post('/v1/import', importLines(6_000, 'stack'), { 'content-type': 'application/x-ndjson' })
      .catch(() => undefined);
    const before = (await ground.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM journal')).rows[0]!.n;
    for (let waited = 0; (await ground.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM journal')).rows[0]!.n < before + 500; waited++) {
      if (waited > 600) throw new Error('the import did not start');
      await sleep(20);
    }
    await app.kill('SIGKILL');
    await importing;

    const restarted = await serve();
    try {
      await drained();
      await waitUntilCaughtUp(ground.pool, 120_000);
      const verified = await runCli(['verify'], ground.env);
      expect({ code: verified.code, output: verified.stdout.slice(-2_000) }).toEqual({ code: 0, output: expect.any(String) });

      // A clean run: a fresh database and consumer group projecting the same topic.
      const clean = await createTestDatabase();
      const cleanPool = new pg.Pool({ connectionString: clean.url });
      const projector = spawnApp('projector', { ...ground.env, DATABASE_URL: clean.url, CHANCERY_CONSUMER_GROUP_PREFIX: `${ground.prefix}-clean` });
      try {
        const live = await snapshotReadModels(ground.pool);
        for (let waited = 0; ; waited++) {
          const fresh = await snapshotReadModels(cleanPool).catch(() => undefined);
          if (fresh && JSON.stringify(fresh) === JSON.stringify(live)) break;
          if (waited > 1_200) expect(fresh).toEqual(live);
          await sleep(100);
        }
      } finally {
        await projector.kill('SIGTERM');
        await cleanPool.end();
        await clean.drop();
      }
    } finally {
      await restarted.app.kill('SIGTERM');
    }
  }, 300_000);
});

async function once(app: AppProcess): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  await new Promise((resolve) => app.child.once('exit', resolve));
}
