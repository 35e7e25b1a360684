// The relations read model and the raw event feeds over HTTP, against the one-process server.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, type Client, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'relations-events-admin-key-000000';
const sources = [{ url: 'https://www.reuters.com/world/europe/nato-russia-talks-2022-01-12/', outlet: 'Reuters' }];
const on = (occurredAt: string) => ({ occurredAt, sources, confidence: 'confirmed' });

const envelopeKeys = ['cameo', 'causationId', 'confidence', 'correlationId', 'data', 'eventId', 'globalPosition', 'occurredAt',
  'recordedAt', 'recordedBy', 'schemaVersion', 'sources', 'streamId', 'streamVersion', 'type'];

describe('relations and raw events over HTTP', () => {
  let served: TestApp;
  let writer: Client;
  let reader: Client;
  /** Consistency tokens of every write so far: a read waits for all of them, as they touch different streams. */
  const tokens: string[] = [];
  let demandId: string;
  let proposalEventId: string;

  async function write(path: string, body: object) {
    const response = await writer.post(path, body);
    expect(response.status).toBe(201);
    tokens.push(response.body.consistencyToken);
    return response.body;
  }

  async function read(path: string) {
    for (const token of tokens.splice(0)) {
      expect((await reader.get('/v1/events?limit=1', { 'x-consistency-token': token })).status).toBe(200);
    }
    return reader.get(path);
  }

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    const admin = client(served.baseUrl, adminKey);
    writer = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'analyst', role: 'writer' })).body.key);
    reader = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'dashboard', role: 'reader' })).body.key);
    for (const party of [
      { id: 'NATO', name: 'North Atlantic Treaty Organization', kind: 'organization' },
      { id: 'RUS', name: 'Russia', kind: 'state' },
      { id: 'FIN', name: 'Finland', kind: 'state' },
    ]) await write('/v1/parties', party);
    await write('/v1/issues', { id: 'nato-enlargement', title: 'NATO enlargement' });

    // NATO–RUS, hand-scored (Goldstein): 01-01 demand −5; 01-10 consultation +1; 01-12 military
    // warning −7 and rejection −4; 01-14 proposal +4.
    demandId = (await write('/v1/demands', {
      by: 'RUS', addressedTo: ['NATO'], issue: 'nato-enlargement', summary: 'no further enlargement', ...on('2022-01-01'),
    })).id;
    await write('/v1/meetings', { title: 'NATO-Russia Council', participants: ['NATO', 'RUS'], ...on('2022-01-10') });
    await write('/v1/warnings', { by: 'NATO', to: ['RUS'], consequence: 'reinforce the eastern flank', severity: 'high', kind: 'military', ...on('2022-01-12') });
    await write(`/v1/demands/${demandId}/rejections`, { by: 'NATO', reason: 'open door policy', ...on('2022-01-12') });
    proposalEventId = (await write('/v1/proposals', { by: 'NATO', to: ['RUS'], summary: 'arms control talks', ...on('2022-01-14') })).eventIds[0];
  });

  afterAll(() => served.close());

  describe('GET /v1/relations/{a}/{b}', () => {
    it('lists the pair\'s days ascending with counts by quad class, and the tension over 7 and 30 days up to its latest development', async () => {
      const response = await read('/v1/relations/NATO/RUS');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        parties: ['NATO', 'RUS'],
        days: [
          { date: '2022-01-01', events: 1, goldsteinSum: -5, cooperation: 0, conflict: 1 },
          { date: '2022-01-10', events: 1, goldsteinSum: 1, cooperation: 1, conflict: 0 },
          { date: '2022-01-12', events: 2, goldsteinSum: -11, cooperation: 0, conflict: 2 },
          { date: '2022-01-14', events: 1, goldsteinSum: 4, cooperation: 1, conflict: 0 },
        ],
        // 01-08..01-14: −(1 − 11 + 4) / 4 = 1.5; 12-16..01-14: −(−5 + 1 − 11 + 4) / 5 = 2.2
        tension7d: 1.5,
        tension30d: 2.2,
      });
    });

    it('echoes the parties in the order asked: the pair is the same either way', async () => {
      const [forward, backward] = [await read('/v1/relations/NATO/RUS'), await read('/v1/relations/RUS/NATO')];
      expect(backward.body.parties).toEqual(['RUS', 'NATO']);
      expect({ ...backward.body, parties: null }).toEqual({ ...forward.body, parties: null });
    });

    it('keeps the days within from/to, and reads the tension as of `to`', async () => {
      const response = await read('/v1/relations/NATO/RUS?from=2022-01-10&to=2022-01-12T18:00:00Z');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        parties: ['NATO', 'RUS'],
        days: [
          { date: '2022-01-10', events: 1, goldsteinSum: 1, cooperation: 1, conflict: 0 },
          { date: '2022-01-12', events: 2, goldsteinSum: -11, cooperation: 0, conflict: 2 },
        ],
        // 01-06..01-12: −(1 − 11) / 3 = 3.33; up to 01-12: −(−5 + 1 − 11) / 4 = 3.75
        tension7d: 3.33,
        tension30d: 3.75,
      });
    });

    it('gives a registered party with no developments with the other an empty history and no tension', async () => {
      const response = await read('/v1/relations/FIN/RUS');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ parties: ['FIN', 'RUS'], days: [], tension7d: null, tension30d: null });
    });

    it('404 for a party that was never registered', async () => {
      const response = await read('/v1/relations/RUS/ATLANTIS');
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 404, detail: expect.stringContaining('ATLANTIS') });
    });

    it('400 for the same party twice, a bad date, a range that ends before it starts, or an unknown parameter', async () => {
      for (const path of [
        '/v1/relations/RUS/RUS',
        '/v1/relations/NATO/RUS?from=last-week',
        '/v1/relations/NATO/RUS?from=2022-02-01&to=2022-01-01',
        '/v1/relations/NATO/RUS?window=7d',
      ]) {
        const response = await read(path);
        expect({ path, status: response.status }).toEqual({ path, status: 400 });
        expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.any(String) })]));
      }
    });

    it('takes a retracted development out of its day and out of the tension', async () => {
      await write(`/v1/events/${proposalEventId}/retractions`, { reason: 'the proposal was never made' });
      const response = await read('/v1/relations/NATO/RUS');
      expect(response.body.days.map((day: { date: string }) => day.date)).toEqual(['2022-01-01', '2022-01-10', '2022-01-12']);
      expect(response.body).toMatchObject({ tension7d: 3.33, tension30d: 3.75 });
    });
  });

  describe('GET /v1/events', () => {
    it('walks the whole journal in global position order, page by page, each event once as an envelope', async () => {
      const everything = await read('/v1/events?limit=500');
      expect(everything.status).toBe(200);
      expect(everything.body.nextCursor).toBeNull();
      const all = everything.body.items as Array<Record<string, unknown>>;
      // three parties, an issue, five developments and a retraction
      expect(all).toHaveLength(10);
      expect(Object.keys(all[0]!).sort()).toEqual(envelopeKeys);

      const walked: Array<Record<string, unknown>> = [];
      let after = '0';
      for (let pages = 0; pages < 100; pages++) {
        const page = await reader.get(`/v1/events?after=${after}&limit=3`);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(3);
        walked.push(...page.body.items);
        if (page.body.nextCursor === null) break;
        expect(page.body.nextCursor).toBe(page.body.items.at(-1).globalPosition);
        after = page.body.nextCursor;
      }
      expect(walked).toEqual(all);
      const positions = walked.map((envelope) => BigInt(envelope.globalPosition as string));
      expect(positions).toEqual([...positions].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
      expect(new Set(positions).size).toBe(positions.length);

      const demand = walked.find((envelope) => envelope.type === 'DemandIssued')!;
      expect(demand).toMatchObject({
        streamId: `demand-${demandId}`, streamVersion: 1, occurredAt: '2022-01-01', recordedBy: 'analyst', confidence: 'confirmed',
        sources, cameo: { code: '100', root: '10', quadClass: 3, goldstein: -5 }, data: expect.objectContaining({ by: 'RUS', addressedTo: ['NATO'] }),
      });
    });

    it('starts after the position given and ends with an empty page past the end', async () => {
      const all = (await reader.get('/v1/events?limit=500')).body.items;
      const tail = await reader.get(`/v1/events?after=${all[4].globalPosition}&limit=2`);
      expect(tail.body.items.map((envelope: { eventId: string }) => envelope.eventId)).toEqual([all[5].eventId, all[6].eventId]);
      expect(await reader.get(`/v1/events?after=${all.at(-1).globalPosition}`).then((page) => page.body)).toEqual({ items: [], nextCursor: null });
    });

    it('400 for a limit outside 1–500, a position that is not a whole number, an unknown parameter; 401 without a key', async () => {
      for (const query of ['limit=0', 'limit=501', 'after=-1', 'after=abc', 'cursor=x']) {
        expect({ query, status: (await reader.get(`/v1/events?${query}`)).status }).toEqual({ query, status: 400 });
      }
      expect((await client(served.baseUrl).get('/v1/events')).status).toBe(401);
    });
  });

  describe('GET /v1/streams/{streamId}/events', () => {
    it('gives one stream\'s events in version order, page by page', async () => {
      const stream = `demand-${demandId}`;
      const whole = await reader.get(`/v1/streams/${stream}/events`);
      expect(whole.status).toBe(200);
      expect(whole.body.items.map((envelope: { type: string; streamVersion: number }) => [envelope.streamVersion, envelope.type]))
        .toEqual([[1, 'DemandIssued'], [2, 'DemandRejected']]);
      expect(whole.body.items.every((envelope: { streamId: string }) => envelope.streamId === stream)).toBe(true);
      expect(whole.body.nextCursor).toBeNull();

      const first = await reader.get(`/v1/streams/${stream}/events?limit=1`);
      expect(first.body.items.map((envelope: { streamVersion: number }) => envelope.streamVersion)).toEqual([1]);
      expect(first.body.nextCursor).toBe('1');
      const second = await reader.get(`/v1/streams/${stream}/events?limit=1&after=${first.body.nextCursor}`);
      expect(second.body.items.map((envelope: { streamVersion: number }) => envelope.streamVersion)).toEqual([2]);
      expect(second.body.nextCursor).toBeNull();
    });

    it('404 for a stream the journal does not hold; 400 for what cannot be a stream id', async () => {
      const unknown = await reader.get('/v1/streams/demand-never-issued/events');
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toContain('application/problem+json');
      expect((await reader.get('/v1/streams/no%20such%20thing/events')).status).toBe(400);
    });
  });
});
