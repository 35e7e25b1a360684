// Zero-downtime rebuilds: a projection rebuilt from offset 0 beside the live one and swapped in,
// while a dashboard keeps reading it. It never sees an empty or half-built model.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { projections } from '#read-models';
import { client, type Client, listenToStream, snapshotReadModels, startTestApp, type TestApp } from '#testing';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { runReplay } from '../../apps/cli/src/replay/replay.command.js';
import { apiClient } from '../../apps/cli/src/api-client.js';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'rebuild-admin-key-000000000';
const provenance = { occurredAt: '2022-01-12', sources: [{ citation: 'IRNA quoting Reuters' }] };
// A fresh database's first generation is numbered after the code's version; a rebuild makes the next.
const firstGeneration = projections.find((projection) => projection.name === 'timeline')!.version;

describe('rebuilding a projection while it is read', () => {
  let served: TestApp;
  let admin: Client;
  let writer: Client;
  let db: pg.Pool;
  let lastToken = '';

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    admin = client(served.baseUrl, adminKey);
    writer = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'analyst', role: 'writer' })).body.key);
    db = new pg.Pool({ connectionString: served.database.url });
    const lines = [
      { command: 'RegisterParty', id: 'NATO', name: 'NATO', kind: 'organization' },
      { command: 'RegisterParty', id: 'RUS', name: 'Russia', kind: 'state' },
      { command: 'RegisterIssue', id: 'ukraine-nato-membership', title: 'Ukraine and NATO' },
      ...Array.from({ length: 1_500 }, (_, index) => ({
        command: 'StatePosition', by: index % 2 ? 'NATO' : 'RUS', issue: 'ukraine-nato-membership',
        stance: index % 3 ? 'opposes' : 'supports', summary: `statement ${index}`, ...provenance,
      })),
    ];
    const report = await writer.post('/v1/import', lines.map((line) => JSON.stringify(line)).join('\n'), { 'content-type': 'application/x-ndjson' });
    expect(report.body.accepted).toBe(lines.length);
    lastToken = report.body.consistencyToken;
    await admin.get('/v1/timeline?limit=1', { 'x-consistency-token': lastToken });
  });

  afterAll(async () => {
    await db.end();
    await served.close();
  });

  it('reports each projection, live, with no lag once caught up', async () => {
    const response = await admin.get('/v1/projections');
    expect(response.status).toBe(200);
    const timeline = response.body.find((overview: { name: string }) => overview.name === 'timeline');
    expect(timeline).toMatchObject({ name: 'timeline', version: firstGeneration, codeVersion: firstGeneration, status: 'live', live: true, failures: 0, progress: null });
    expect(timeline.lag.events).toBe(0);
    expect(timeline.lag.partitions).toHaveLength(3);
    expect(timeline.eventsApplied).toBe(1_500);
  });

  it('swaps a rebuilt timeline in; a dashboard reading throughout never sees fewer developments', async () => {
    const before = await snapshotReadModels(db);
    let reading = true;
    let reads = 0;
    let slowestMs = 0;
    const counts: number[] = [];
    const dashboard = (async () => {
      while (reading) {
        const started = performance.now();
        const page = await admin.get('/v1/timeline?party=NATO&limit=500');
        slowestMs = Math.max(slowestMs, performance.now() - started);
        expect(page.status).toBe(200);
        counts.push(page.body.items.length);
        reads++;
      }
    })();

    // The live stream reports the rebuild's progress too.
    const rebuilding = (message: { event: string; data: { projection?: string; live?: boolean } }) =>
      message.event === 'projection' && message.data.projection === 'timeline' && message.data.live === false;
    const stream = await listenToStream(served.baseUrl, adminKey, '?types=projection', (messages) => messages.some(rebuilding));

    const progress: string[] = [];
    await runReplay(apiClient(served.baseUrl, adminKey), {
      names: ['timeline'], all: false, pollMs: 100,
      err: { write: (text: string) => progress.push(text) } as unknown as NodeJS.WritableStream,
    });
    // One more statement after the swap reaches the new generation.
    const late = await writer.post('/v1/statements', { by: 'NATO', issue: 'ukraine-nato-membership', stance: 'supports', summary: 'after the swap', ...provenance });
    const after = await admin.get('/v1/timeline?party=NATO&limit=1&type=PositionStated', { 'x-consistency-token': late.body.consistencyToken });
    reading = false;
    await dashboard;

    expect(after.body.items[0].summary).toBe('NATO supports: after the swap');
    expect(reads).toBeGreaterThan(5);
    expect(Math.min(...counts)).toBe(500);
    expect(progress.join('')).toContain(`live (generation ${firstGeneration + 1})`);
    await Promise.race([stream.done, sleep(5_000)]);
    expect(stream.received.filter(rebuilding)[0]?.data).toMatchObject({ version: firstGeneration + 1, applied: expect.any(Number) });
    const overview = (await admin.get('/v1/projections')).body.filter((item: { name: string }) => item.name === 'timeline');
    expect(overview).toEqual([expect.objectContaining({ version: firstGeneration + 1, status: 'live', live: true, swapMs: expect.any(Number) })]);
    process.stderr.write(`rebuild: ${reads} dashboard reads during the rebuild, slowest ${slowestMs.toFixed(0)} ms; the swap held the views ${overview[0].swapMs} ms\n`);
    const { rows } = await db.query('SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1', [`projection_timeline_v${firstGeneration}`]);
    expect(rows[0].n).toBe(0);

    // The rebuilt tables hold what the live ones held, plus the one statement after the swap.
    const rebuilt = await snapshotReadModels(db);
    expect(rebuilt.timeline!.length).toBe(before.timeline!.length + 1);
    expect(rebuilt.timeline).toEqual(expect.arrayContaining(before.timeline!));
  });

  it('refuses a second rebuild while one runs, an unknown projection, and a non-admin', async () => {
    const first = await admin.post('/v1/projections/parties/rebuild', {});
    expect(first.status).toBe(202);
    const second = await admin.post('/v1/projections/parties/rebuild', {});
    expect(second.status).toBe(409);
    expect(second.body.version).toBe(first.body.version);
    expect((await admin.post('/v1/projections/no-such/rebuild', {})).status).toBe(404);
    expect((await writer.post('/v1/projections/parties/rebuild', {})).status).toBe(403);
    for (let waited = 0; waited < 100; waited++) {
      const parties = (await admin.get('/v1/projections')).body.filter((item: { name: string }) => item.name === 'parties');
      if (parties.length === 1 && parties[0].version === first.body.version && parties[0].live) return;
      await sleep(100);
    }
    throw new Error('the parties rebuild did not swap in');
  });
});
