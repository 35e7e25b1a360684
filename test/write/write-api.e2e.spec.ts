// The write API over HTTP, against the one-process server on real Postgres and Kafka.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { client, type Client, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'write-api-admin-key-000000';
const source = { url: 'https://www.reuters.com/world/europe/nato-russia-talks-2022-01-12/', outlet: 'Reuters' };
const provenance = { occurredAt: '2022-01-12', sources: [source], confidence: 'confirmed' };

describe('write API', () => {
  let served: TestApp;
  let writer: Client;
  let reader: Client;
  let db: pg.Pool;

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    const admin = client(served.baseUrl, adminKey);
    writer = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'analyst', role: 'writer' })).body.key);
    reader = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'dashboard', role: 'reader' })).body.key);
    db = new pg.Pool({ connectionString: served.database.url });
    for (const party of [
      { id: 'NATO', name: 'North Atlantic Treaty Organization', kind: 'organization' },
      { id: 'RUS', name: 'Russia', kind: 'state' },
      { id: 'USA', name: 'United States', kind: 'state', memberOf: ['NATO'] },
      { id: 'UKR', name: 'Ukraine', kind: 'state' },
      { id: 'OSCE', name: 'Organization for Security and Co-operation in Europe', kind: 'organization' },
    ]) {
      expect((await writer.post('/v1/parties', party)).status).toBe(201);
    }
    expect((await writer.post('/v1/issues', { id: 'nato-enlargement', title: 'NATO enlargement' })).status).toBe(201);
  });

  afterAll(async () => {
    await db.end();
    await served.close();
  });

  async function journal(streamId: string) {
    const { rows } = await db.query('SELECT event_type, stream_version, recorded_by, data, cameo FROM journal WHERE stream_id = $1 ORDER BY stream_version', [streamId]);
    return rows;
  }

  describe('happy paths', () => {
    it('registers a party: 201 with id, stream, version, event ids and a consistency token; recordedBy is the key', async () => {
      const response = await writer.post('/v1/parties', { id: 'GBR', name: 'United Kingdom', kind: 'state', memberOf: ['NATO'] });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: 'GBR', streamId: 'party-GBR', version: 1,
        eventIds: [expect.stringMatching(/^[0-9a-f-]{36}$/)], consistencyToken: expect.any(String),
      });
      expect(response.headers.get('etag')).toBe('"1"');
      const [event] = await journal('party-GBR');
      expect(event).toMatchObject({ event_type: 'PartyRegistered', recorded_by: 'analyst' });
    });

    it('issues a demand with a server-made id, then records a rejection, an acceptance and a withdrawal in its stream', async () => {
      const issued = await writer.post('/v1/demands', {
        by: 'RUS', addressedTo: ['NATO', 'USA'], issue: 'nato-enlargement',
        summary: 'NATO must not admit Ukraine', terms: ['no further enlargement'], ...provenance,
      });
      expect(issued.status).toBe(201);
      const id = issued.body.id as string;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(issued.body.streamId).toBe(`demand-${id}`);

      const rejected = await writer.post(`/v1/demands/${id}/rejections`, { by: 'NATO', reason: 'open door policy', ...provenance });
      expect(rejected.status).toBe(201);
      expect(rejected.body.version).toBe(2);
      const accepted = await writer.post(`/v1/demands/${id}/acceptances`, { by: 'USA', ...provenance });
      expect(accepted.body.version).toBe(3);
      const withdrawn = await writer.post(`/v1/demands/${id}/withdrawals`, { by: 'RUS', ...provenance });
      expect(withdrawn.status).toBe(201);

      const events = await journal(`demand-${id}`);
      expect(events.map((event) => event.event_type)).toEqual(['DemandIssued', 'DemandRejected', 'DemandAccepted', 'DemandWithdrawn']);
      expect(events[0].cameo).toEqual({ code: '100', root: '10', quadClass: 3, goldstein: -5 });
    });

    it('holds, schedules, records as held and cancels meetings', async () => {
      const held = await writer.post('/v1/meetings', {
        id: 'nrc-2022-01-12', title: 'NATO-Russia Council', location: 'Brussels',
        participants: ['NATO', 'RUS'], issues: ['nato-enlargement'], outcome: 'no agreement', ...provenance,
      });
      expect(held.status).toBe(201);
      expect(held.body.id).toBe('nrc-2022-01-12');

      const scheduled = await writer.post('/v1/meetings/scheduled', {
        id: 'osce-pc', title: 'OSCE Permanent Council', participants: ['OSCE', 'RUS', 'USA'], scheduledFor: '2022-01-13', ...provenance,
      });
      expect(scheduled.status).toBe(201);
      expect((await writer.post('/v1/meetings/osce-pc/held', { outcome: 'talks continued', ...provenance, occurredAt: '2022-01-13' })).status).toBe(201);

      await writer.post('/v1/meetings/scheduled', { id: 'summit', title: 'Summit', participants: ['USA', 'RUS'], scheduledFor: '2022-02-01', ...provenance });
      const cancelled = await writer.post('/v1/meetings/summit/cancellations', { by: 'USA', reason: 'invasion', ...provenance });
      expect(cancelled.status).toBe(201);
      expect((await journal('meeting-summit')).map((event) => event.event_type)).toEqual(['MeetingScheduled', 'MeetingCancelled']);
    });

    it('gives a warning, makes and answers proposals, states a stance', async () => {
      const warning = await writer.post('/v1/warnings', {
        by: 'NATO', to: ['RUS'], issue: 'nato-enlargement', consequence: 'severe costs', severity: 'high', kind: 'economic', ...provenance,
      });
      expect(warning.status).toBe(201);
      expect((await journal(`warning-${warning.body.id}`))[0].cameo.code).toBe('130');

      const proposal = await writer.post('/v1/proposals', { by: 'USA', to: ['RUS'], issue: 'nato-enlargement', summary: 'arms control talks', ...provenance });
      expect(proposal.status).toBe(201);
      expect((await writer.post(`/v1/proposals/${proposal.body.id}/declines`, { by: 'RUS', ...provenance })).status).toBe(201);
      const second = await writer.post('/v1/proposals', { by: 'USA', to: ['RUS'], summary: 'transparency measures', ...provenance });
      expect((await writer.post(`/v1/proposals/${second.body.id}/acceptances`, { by: 'RUS', ...provenance })).status).toBe(201);

      const statement = await writer.post('/v1/statements', {
        by: 'USA', issue: 'nato-enlargement', stance: 'opposes', summary: 'no veto over NATO membership', quote: 'We will not slam the door', ...provenance,
      });
      expect(statement.status).toBe(201);
      expect(statement.body.streamId).toBe('party-USA');
      expect(statement.body.id).toBe(statement.body.eventIds[0]);
    });

    it('retracts an event; the retraction goes into the retracted event\'s stream', async () => {
      const statement = await writer.post('/v1/statements', { by: 'UKR', issue: 'nato-enlargement', stance: 'supports', summary: 'wants membership', ...provenance });
      const eventId = statement.body.eventIds[0];
      const retraction = await writer.post(`/v1/events/${eventId}/retractions`, { reason: 'misattributed quote' });
      expect(retraction.status).toBe(201);
      expect(retraction.body.streamId).toBe('party-UKR');
      expect((await journal('party-UKR')).at(-1).event_type).toBe('EventRetracted');
      expect((await writer.post(`/v1/events/${eventId}/retractions`, { reason: 'again' })).status).toBe(409);
    });
  });

  describe('errors', () => {
    it('400: an unknown field, a missing one, and a bad value are all listed with their paths', async () => {
      const response = await writer.post('/v1/demands', { by: 'RUS', issue: 'nato-enlargement', summary: 's', ...provenance, occurredAt: 'yesterday', colour: 'red' });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const paths = response.body.errors.map((error: { path: string }) => error.path);
      expect(paths).toEqual(expect.arrayContaining(['addressedTo', 'occurredAt']));
      expect(JSON.stringify(response.body.errors)).toContain('colour');
    });

    it('400: sources must name a url or a citation', async () => {
      const response = await writer.post('/v1/statements', { by: 'RUS', issue: 'nato-enlargement', stance: 'opposes', summary: 's', occurredAt: '2022-01-12', sources: [{ outlet: 'TASS' }] });
      expect(response.status).toBe(400);
      expect(response.body.errors[0].path).toBe('sources[0]');
    });

    it('401 without a key, 403 for a reader writing', async () => {
      expect((await client(served.baseUrl).post('/v1/parties', { id: 'X', name: 'X', kind: 'state' })).status).toBe(401);
      const forbidden = await reader.post('/v1/parties', { id: 'X', name: 'X', kind: 'state' });
      expect(forbidden.status).toBe(403);
      expect(await journal('party-X')).toHaveLength(0);
    });

    it('404: answering a demand that does not exist, retracting an unknown event', async () => {
      expect((await writer.post('/v1/demands/no-such-demand/rejections', { by: 'NATO', ...provenance })).status).toBe(404);
      expect((await writer.post('/v1/events/00000000-0000-4000-8000-000000000000/retractions', { reason: 'x' })).status).toBe(404);
    });

    it('409: an addressee repeating its standing answer, and an existing id; nothing is appended', async () => {
      const demand = await writer.post('/v1/demands', { by: 'RUS', addressedTo: ['NATO'], issue: 'nato-enlargement', summary: 'withdraw', ...provenance });
      expect((await writer.post(`/v1/demands/${demand.body.id}/rejections`, { by: 'NATO', ...provenance })).status).toBe(201);
      const again = await writer.post(`/v1/demands/${demand.body.id}/rejections`, { by: 'NATO', ...provenance, occurredAt: '2022-01-13' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('DEMAND_ALREADY_ANSWERED');
      expect(again.body.errors).toEqual([{ path: 'by', message: expect.stringContaining('already rejected') }]);
      expect(await journal(`demand-${demand.body.id}`)).toHaveLength(2);
      expect((await writer.post('/v1/parties', { id: 'RUS', name: 'Russia', kind: 'state' })).status).toBe(409);
    });

    it('409: a changed answer to a withdrawn demand, as any answer to one', async () => {
      const demand = await writer.post('/v1/demands', { by: 'RUS', addressedTo: ['NATO'], issue: 'nato-enlargement', summary: 'no drills', ...provenance });
      expect((await writer.post(`/v1/demands/${demand.body.id}/rejections`, { by: 'NATO', ...provenance })).status).toBe(201);
      expect((await writer.post(`/v1/demands/${demand.body.id}/withdrawals`, { by: 'RUS', ...provenance })).status).toBe(201);
      const changed = await writer.post(`/v1/demands/${demand.body.id}/acceptances`, { by: 'NATO', ...provenance });
      expect(changed.status).toBe(409);
      expect(changed.body.code).toBe('DEMAND_WITHDRAWN');
    });

    it('409 on a stale If-Match; the current one goes through', async () => {
      const demand = await writer.post('/v1/demands', { by: 'RUS', addressedTo: ['NATO', 'USA'], issue: 'nato-enlargement', summary: 'guarantees', ...provenance });
      const stale = await writer.post(`/v1/demands/${demand.body.id}/rejections`, { by: 'NATO', ...provenance }, { 'if-match': '"0"' });
      expect(stale.status).toBe(409);
      expect(stale.body.currentVersion).toBe(1);
      const fresh = await writer.post(`/v1/demands/${demand.body.id}/rejections`, { by: 'NATO', ...provenance }, { 'if-match': '"1"' });
      expect(fresh.status).toBe(201);
      expect((await writer.post(`/v1/demands/${demand.body.id}/rejections`, { by: 'USA', ...provenance }, { 'if-match': 'three' })).status).toBe(400);
    });

    it('422: an unknown party or issue, naming the field', async () => {
      const response = await writer.post('/v1/demands', { by: 'RUS', addressedTo: ['NATO', 'ATLANTIS'], issue: 'nato-enlargement', summary: 's', ...provenance });
      expect(response.status).toBe(422);
      expect(response.body.errors).toEqual([{ path: 'addressedTo[1]', message: expect.stringContaining('ATLANTIS') }]);
      expect((await writer.post('/v1/statements', { by: 'RUS', issue: 'no-such-issue', stance: 'opposes', summary: 's', ...provenance })).status).toBe(422);
    });

    it('422: a development dated in the future', async () => {
      const response = await writer.post('/v1/statements', { by: 'RUS', issue: 'nato-enlargement', stance: 'opposes', summary: 's', ...provenance, occurredAt: '2999-01-01' });
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('OCCURRED_IN_FUTURE');
    });

    it('413 for a body over the limit; nothing is written', async () => {
      const response = await writer.post('/v1/statements', { by: 'RUS', issue: 'nato-enlargement', stance: 'opposes', summary: 'x'.repeat(1_100_000), ...provenance });
      expect(response.status).toBe(413);
    });
  });

  describe('idempotency', () => {
    it('returns the first response for a repeated Idempotency-Key and appends nothing', async () => {
      const body = { by: 'RUS', addressedTo: ['NATO'], issue: 'nato-enlargement', summary: 'legal guarantees', ...provenance };
      const headers = { 'idempotency-key': 'demand-2022-01-12-guarantees' };
      const first = await writer.post('/v1/demands', body, headers);
      const repeats = await Promise.all([1, 2, 3].map(() => writer.post('/v1/demands', body, headers)));
      for (const repeat of repeats) {
        expect(repeat.status).toBe(201);
        expect(repeat.body).toEqual(first.body);
      }
      const { rows } = await db.query("SELECT count(*)::int AS n FROM journal WHERE data->>'summary' = 'legal guarantees'");
      expect(rows[0].n).toBe(1);
    });

    it('refuses the same key for a different body with 422', async () => {
      const headers = { 'idempotency-key': 'reused-key' };
      await writer.post('/v1/statements', { by: 'RUS', issue: 'nato-enlargement', stance: 'opposes', summary: 'a', ...provenance }, headers);
      const other = await writer.post('/v1/statements', { by: 'RUS', issue: 'nato-enlargement', stance: 'opposes', summary: 'b', ...provenance }, headers);
      expect(other.status).toBe(422);
    });
  });
});
