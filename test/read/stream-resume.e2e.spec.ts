// The live stream resumes: a development's id is its journal position, and a reconnect with
// Last-Event-ID gets every development it missed, in order, then the live ones.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, type Client, listenToStream, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'stream-admin-key-00000000000';
const provenance = { occurredAt: '2022-02-01', sources: [{ citation: 'TASS' }] };

describe('the resumable live stream', () => {
  let served: TestApp;
  let writer: Client;
  let reader: Client;
  let readerKey: string;

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    const admin = client(served.baseUrl, adminKey);
    writer = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'analyst', role: 'writer' })).body.key);
    readerKey = (await admin.post('/v1/api-keys', { name: 'dashboard', role: 'reader' })).body.key;
    reader = client(served.baseUrl, readerKey);
    for (const party of [{ id: 'RUS', name: 'Russia', kind: 'state' }, { id: 'UKR', name: 'Ukraine', kind: 'state' }]) {
      await writer.post('/v1/parties', party);
    }
    await writer.post('/v1/issues', { id: 'donbas', title: 'Donbas' });
  });

  afterAll(() => served.close());

  const state = (summary: string) =>
    writer.post('/v1/statements', { by: 'RUS', issue: 'donbas', stance: 'supports', summary, ...provenance });

  it('after a dropped connection, replays the 200 developments it missed in order, then the live ones', async () => {
    const first = await listenToStream(served.baseUrl, readerKey, '?types=development',
      (messages) => messages.some((message) => message.data?.summary?.includes('before the drop')));
    await state('before the drop');
    await first.done; // the connection is dropped here
    const lastEventId = first.received.find((message) => message.data?.summary?.includes('before the drop'))!.id!;
    expect(lastEventId).toMatch(/^\d+$/);

    // Four writers at once: positions are taken before commit, so they commit out of order.
    const missed: string[] = [];
    for (let batch = 0; batch < 50; batch += 1) {
      const written = await Promise.all([0, 1, 2, 3].map((i) => state(`missed ${batch * 4 + i}`)));
      for (const response of written) expect(response.status).toBe(201);
      missed.push(...written.map((response) => response.body.eventIds[0]));
    }

    // As a browser's EventSource does: a stream token in the URL, Last-Event-ID as a header.
    const token = await reader.post('/v1/stream-tokens', {});
    expect(token.status).toBe(201);
    expect(Date.parse(token.body.expiresAt)).toBeGreaterThan(Date.now());
    const resumed = await listenToStream(served.baseUrl, null, `?types=development&token=${token.body.token}`,
      (messages) => messages.some((message) => message.data?.summary?.includes('live after the replay')), { 'last-event-id': lastEventId });
    expect(resumed.status).toBe(200);
    const replayed = async () => resumed.received.filter((message) => message.event === 'development').length >= 200;
    for (let waited = 0; !(await replayed()) && waited < 20_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    await state('live after the replay');
    await resumed.done;

    const developments = resumed.received.filter((message) => message.event === 'development');
    expect(developments.slice(0, 200).map((message) => message.data.eventId).sort()).toEqual([...missed].sort());
    expect(developments.map((message) => message.data.summary).at(-1)).toContain('live after the replay');
    expect(developments).toHaveLength(201);
    const ids = developments.map((message) => BigInt(message.id!));
    for (let i = 1; i < ids.length; i += 1) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(ids[0]! > BigInt(lastEventId)).toBe(true);
    for (const message of developments) expect(message.data.globalPosition).toBe(message.id);
  }, 120_000);

  it('replays only the developments the filters select, and resumes from ?after= as from Last-Event-ID', async () => {
    const { body: page } = await reader.get('/v1/events?limit=1');
    expect(page.items).toHaveLength(1);
    const resumed = await listenToStream(served.baseUrl, readerKey, '?types=development&party=UKR&after=0',
      (messages) => messages.some((message) => message.data?.summary?.includes('to Ukraine')));
    await writer.post('/v1/demands', { by: 'RUS', addressedTo: ['UKR'], issue: 'donbas', summary: 'to Ukraine', ...provenance });
    await resumed.done;
    const developments = resumed.received.filter((message) => message.event === 'development');
    expect(developments.map((message) => message.data.summary)).toEqual(['to Ukraine']);
  });

  it('refuses a bad cursor or token with a problem, and a stream token anywhere but the stream', async () => {
    const bad = await fetch(`${served.baseUrl}/v1/stream`, { headers: { authorization: `Bearer ${readerKey}`, 'last-event-id': 'yesterday' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await fetch(`${served.baseUrl}/v1/stream?after=-1`, { headers: { authorization: `Bearer ${readerKey}` } })).status).toBe(400);
    const forged = await fetch(`${served.baseUrl}/v1/stream?token=cst_e30.${'A'.repeat(43)}`);
    expect(forged.status).toBe(401);
    expect(forged.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const { body } = await reader.post('/v1/stream-tokens', {});
    expect((await fetch(`${served.baseUrl}/v1/timeline?token=${body.token}`)).status).toBe(401);
  });
});
