// Reading what was written: the timeline over HTTP, the consistency token, and the live stream.
/* eslint-disable @typescript-eslint/no-explicit-any -- SSE data and pages are JSON of any shape; assertions say what they expect */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, type Client, listenToStream, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'read-admin-key-000000000000';
const provenance = { occurredAt: '2022-01-12', sources: [{ citation: 'IRNA quoting Reuters' }], confidence: 'reported' };

describe('timeline, consistency token and live stream', () => {
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
    for (const party of [{ id: 'NATO', name: 'NATO', kind: 'organization' }, { id: 'RUS', name: 'Russia', kind: 'state' }, { id: 'USA', name: 'United States', kind: 'state' }]) {
      await writer.post('/v1/parties', party);
    }
    await writer.post('/v1/issues', { id: 'ukraine-nato-membership', title: 'Ukraine and NATO' });
  });

  afterAll(() => served.close());

  it('shows a write on the very next read that carries its consistency token', async () => {
    const demand = await writer.post('/v1/demands', {
      by: 'RUS', addressedTo: ['NATO'], issue: 'ukraine-nato-membership', summary: 'no membership for Ukraine', ...provenance, occurredAt: '2022-01-10',
    });
    const timeline = await reader.get('/v1/timeline?party=NATO', { 'x-consistency-token': demand.body.consistencyToken });
    expect(timeline.status).toBe(200);
    expect(timeline.body.items[0]).toMatchObject({
      eventId: demand.body.eventIds[0], type: 'DemandIssued', parties: ['RUS', 'NATO'], issue: 'ukraine-nato-membership',
      summary: 'no membership for Ukraine', occurredAt: '2022-01-10', retracted: false, cameo: { code: '100' }, goldstein: -5,
    });
  });

  it('lists newest first and walks pages with the cursor', async () => {
    let last = '';
    for (const day of ['2022-01-11', '2022-01-12', '2022-01-13']) {
      last = (await writer.post('/v1/statements', { by: 'USA', issue: 'ukraine-nato-membership', stance: 'opposes', summary: `statement of ${day}`, ...provenance, occurredAt: day })).body.consistencyToken;
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await reader.get(`/v1/timeline?party=USA&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { 'x-consistency-token': last });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((item: { occurredAt: string }) => item.occurredAt));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['2022-01-13', '2022-01-12', '2022-01-11']);
  });

  it('answers bad list parameters with 400', async () => {
    expect((await reader.get('/v1/timeline?limit=0')).status).toBe(400);
    expect((await reader.get('/v1/timeline?limit=501')).status).toBe(400);
    expect((await reader.get('/v1/timeline?colour=red')).status).toBe(400);
    expect((await reader.get('/v1/timeline?type=Coup')).status).toBe(400);
    expect((await reader.get('/v1/timeline?cursor=bm9wZQ')).status).toBe(400);
    expect((await reader.get(`/v1/timeline?cursor=${Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url')}`)).status).toBe(400);
    expect((await reader.get('/v1/timeline?party=%00')).status).toBe(400);
    expect((await reader.get('/v1/timeline', { 'x-consistency-token': 'garbage' })).status).toBe(400);
  });

  it('streams each development to a live subscriber as it becomes readable', async () => {
    const subscription = await listenToStream(served.baseUrl, readerKey, '?party=RUS&types=development',
      (events) => events.some((event) => event.data?.summary === 'legal guarantees'));
    expect(subscription.status).toBe(200);
    expect(subscription.contentType).toMatch(/^text\/event-stream/);
    await writer.post('/v1/statements', { by: 'USA', issue: 'ukraine-nato-membership', stance: 'opposes', summary: 'not for RUS listeners', ...provenance });
    await writer.post('/v1/demands', { by: 'RUS', addressedTo: ['USA'], issue: 'ukraine-nato-membership', summary: 'legal guarantees', ...provenance });
    await subscription.done;
    const developments = subscription.received.filter((event) => event.event === 'development');
    expect(developments.map((event) => event.data.summary)).toEqual(['legal guarantees']);
    expect(developments[0]!.data).toMatchObject({ type: 'DemandIssued', parties: ['RUS', 'USA'] });
  });
});
