// Three turns of real crises, through HTTP, the journal, Kafka and the read models: a party changes
// its answer (and a report of an earlier answer is found late), a correction cites its own source,
// and a development that CAMEO codes but that has no lifecycle of its own (sanctions) is recorded,
// scored and alerted on. Rebuilding the read models afterwards gives the same tables.
/* eslint-disable @typescript-eslint/no-explicit-any -- API bodies are JSON of any shape; assertions say what they expect */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { client, type Client, eventually, snapshotReadModels, startTestApp, type TestApp } from '#testing';
import { apiClient } from '../../apps/cli/src/api-client.js';
import { runReplay } from '../../apps/cli/src/replay/replay.command.js';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'turns-admin-key-0000000000000';
const reuters = { url: 'https://www.reuters.com/world/europe/nato-russia-2022-01-12/', outlet: 'Reuters' };
const tass = { citation: 'TASS, 1 February 2022', outlet: 'TASS' };
const at = (occurredAt: string, sources: object[] = [reuters]) => ({ occurredAt, sources, confidence: 'reported' });
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('answers that change, sourced corrections and coded developments', () => {
  let served: TestApp;
  let admin: Client;
  let writer: Client;
  let reader: Client;
  let db: pg.Pool;
  let token = '';

  /** Writes, expects a 201, and keeps the token so the next read sees the write. */
  async function write(path: string, body: object): Promise<{ id: string; eventId: string; streamId: string }> {
    const response = await writer.post(path, body);
    expect(response.status).toBe(201);
    token = response.body.consistencyToken;
    return { id: response.body.id, eventId: response.body.eventIds[0], streamId: response.body.streamId };
  }

  /** A read that waits for the last write. */
  async function read(path: string): Promise<any> {
    const response = await reader.get(path, { 'x-consistency-token': token });
    expect(response.status).toBe(200);
    return response.body;
  }

  const positionOn = async (party: string, issue: string, query = '') =>
    (await read(`/v1/parties/${party}/positions${query}`)).positions.find((position: { issue: string }) => position.issue === issue);

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    db = new pg.Pool({ connectionString: served.database.url });
    admin = client(served.baseUrl, adminKey);
    writer = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'analyst', role: 'writer' })).body.key);
    reader = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'dashboard', role: 'reader' })).body.key);
    for (const party of [
      { id: 'NATO', name: 'North Atlantic Treaty Organization', kind: 'organization' },
      { id: 'RUS', name: 'Russia', kind: 'state' },
      { id: 'USA', name: 'United States', kind: 'state' },
    ]) await write('/v1/parties', party);
    await write('/v1/issues', { id: 'ukraine-nato-membership', title: 'Ukraine and NATO' });
    await write('/v1/issues', { id: 'export-controls', title: 'Export controls on Russia' });
  });

  afterAll(async () => {
    await db.end();
    await served.close();
  });

  describe('a demand answered, then answered again', () => {
    let rejection: string;
    let acceptance: string;
    let knownBeforeTheTurn: string;

    beforeAll(async () => {
      await write('/v1/demands', { id: 'd-guarantees', by: 'RUS', addressedTo: ['NATO', 'USA'], issue: 'ukraine-nato-membership', summary: 'no further enlargement', ...at('2022-01-10') });
      rejection = (await write('/v1/demands/d-guarantees/rejections', { by: 'NATO', reason: 'open door policy', ...at('2022-01-12') })).eventId;
      await write('/v1/demands/d-guarantees/rejections', { by: 'USA', ...at('2022-01-13') });
      expect((await read('/v1/demands/d-guarantees')).status).toBe('rejected');
      knownBeforeTheTurn = new Date().toISOString();
      await sleep(5);
      acceptance = (await write('/v1/demands/d-guarantees/acceptances', { by: 'NATO', ...at('2022-02-01', [tass]) })).eventId;
    });

    it("shows the addressee's latest answer and the status it makes; history keeps every answer in order", async () => {
      const demand = await read('/v1/demands/d-guarantees');
      expect(demand).toMatchObject({
        status: 'answered',
        responses: [{ party: 'USA', response: 'rejected', at: '2022-01-13' }, { party: 'NATO', response: 'accepted', at: '2022-02-01' }],
      });
      expect(demand.history.map((entry: any) => [entry.type, entry.by, entry.occurredAt])).toEqual([
        ['DemandIssued', 'RUS', '2022-01-10'],
        ['DemandRejected', 'NATO', '2022-01-12'],
        ['DemandRejected', 'USA', '2022-01-13'],
        ['DemandAccepted', 'NATO', '2022-02-01'],
      ]);
      expect((await read('/v1/demands?status=answered')).items.map((item: any) => item.id)).toEqual(['d-guarantees']);
      expect((await read('/v1/demands?status=rejected')).items).toEqual([]);
    });

    it('records each answer as its own event with its own sources; the new one names the rejection it turns from', async () => {
      const events = (await read('/v1/streams/demand-d-guarantees/events')).items;
      const turn = events.find((event: any) => event.eventId === acceptance);
      expect(turn).toMatchObject({ type: 'DemandAccepted', schemaVersion: 2, sources: [tass], data: { by: 'NATO', supersedes: { eventId: rejection, answer: 'rejected' } } });
      expect(events.find((event: any) => event.eventId === rejection)).toMatchObject({ sources: [reuters], data: { reason: 'open door policy' } });
      expect(events.find((event: any) => event.eventId === rejection).data).not.toHaveProperty('supersedes');
      const timeline = await read('/v1/timeline?party=NATO&type=DemandAccepted');
      expect(timeline.items.map((item: any) => item.summary)).toEqual(["NATO accepted RUS's demand, reversing its rejection"]);
    });

    it("moves the party's position to the new answer; reads before the turn, in valid or in recorded time, still show the rejection", async () => {
      expect(await positionOn('NATO', 'ukraine-nato-membership')).toMatchObject({ stance: 'accepts', since: '2022-02-01', basedOn: acceptance });
      expect(await positionOn('NATO', 'ukraine-nato-membership', '?asOf=2022-01-20')).toMatchObject({ stance: 'rejects', basedOn: rejection });
      expect(await positionOn('NATO', 'ukraine-nato-membership', `?knownAt=${knownBeforeTheTurn}`)).toMatchObject({ stance: 'rejects', basedOn: rejection });
      const onIssue = await read('/v1/issues/ukraine-nato-membership/positions');
      expect(onIssue.positions.find((position: any) => position.party === 'NATO')).toMatchObject({ stance: 'accepts' });
    });

    it('refuses the same answer again with a 409 and appends nothing', async () => {
      const before = (await read('/v1/streams/demand-d-guarantees/events')).items.length;
      const again = await writer.post('/v1/demands/d-guarantees/acceptances', { by: 'NATO', ...at('2022-02-02') });
      expect(again.status).toBe(409);
      expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(again.body).toMatchObject({ code: 'DEMAND_ALREADY_ANSWERED', errors: [{ path: 'by' }] });
      expect((await read('/v1/streams/demand-d-guarantees/events')).items).toHaveLength(before);
    });

    it('takes a late-found report of an earlier answer without letting it become the latest', async () => {
      await write('/v1/demands/d-guarantees/acceptances', { by: 'USA', ...at('2022-01-11') });
      const demand = await read('/v1/demands/d-guarantees');
      expect(demand.status).toBe('answered');
      expect(demand.responses).toContainEqual({ party: 'USA', response: 'rejected', at: '2022-01-13' });
      expect(demand.history.map((entry: any) => [entry.type, entry.by])).toEqual([
        ['DemandIssued', 'RUS'], ['DemandAccepted', 'USA'], ['DemandRejected', 'NATO'], ['DemandRejected', 'USA'], ['DemandAccepted', 'NATO'],
      ]);
      expect(await positionOn('USA', 'ukraine-nato-membership')).toMatchObject({ stance: 'rejects', since: '2022-01-13' });
      expect(await positionOn('USA', 'ukraine-nato-membership', '?asOf=2022-01-12')).toMatchObject({ stance: 'accepts', since: '2022-01-11' });
    });

    it('is accepted once every latest answer accepts', async () => {
      await write('/v1/demands/d-guarantees/acceptances', { by: 'USA', ...at('2022-02-02') });
      expect((await read('/v1/demands/d-guarantees')).status).toBe('accepted');
      expect((await read('/v1/demands?status=accepted')).items.map((item: any) => item.id)).toEqual(['d-guarantees']);
    });
  });

  describe('a proposal declined, then accepted', () => {
    it('counts the latest answer, for the status and the position', async () => {
      await write('/v1/proposals', { id: 'p-talks', by: 'NATO', to: ['RUS'], issue: 'export-controls', summary: 'talks on export controls', ...at('2022-01-12') });
      await write('/v1/proposals/p-talks/declines', { by: 'RUS', ...at('2022-01-13') });
      expect((await read('/v1/proposals?by=NATO')).items[0]).toMatchObject({ status: 'declined' });
      await write('/v1/proposals/p-talks/acceptances', { by: 'RUS', ...at('2022-01-20') });
      expect((await read('/v1/proposals?by=NATO')).items[0]).toMatchObject({
        status: 'accepted', responses: [{ party: 'RUS', response: 'accepted', at: '2022-01-20' }],
      });
      expect((await read('/v1/proposals?status=accepted')).items.map((item: any) => item.id)).toEqual(['p-talks']);
      expect(await positionOn('RUS', 'export-controls')).toMatchObject({ stance: 'accepts', since: '2022-01-20' });
      expect(await positionOn('RUS', 'export-controls', '?asOf=2022-01-15')).toMatchObject({ stance: 'rejects' });
      const again = await writer.post('/v1/proposals/p-talks/acceptances', { by: 'RUS', ...at('2022-01-21') });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('PROPOSAL_ALREADY_ANSWERED');
    });
  });

  describe('a correction that carries its own provenance', () => {
    const denial = { url: 'https://www.nato.int/cps/en/natohq/news.htm', outlet: 'NATO', quote: 'NATO has not changed its position' };
    let retracted: string;
    let knownBeforeTheDenial: string;

    beforeAll(async () => {
      const events = (await read('/v1/streams/demand-d-guarantees/events')).items;
      retracted = events.find((event: any) => event.type === 'DemandAccepted' && event.data.by === 'NATO').eventId;
      knownBeforeTheDenial = new Date().toISOString();
      await sleep(5);
      await write(`/v1/events/${retracted}/retractions`, { reason: 'NATO denied having yielded', occurredAt: '2022-02-03T10:30:00+01:00', sources: [denial] });
    });

    it('keeps when the correction became known and what says so, in the stream and on the timeline', async () => {
      const correction = (await read('/v1/streams/demand-d-guarantees/events')).items.at(-1);
      expect(correction).toMatchObject({
        type: 'EventRetracted', occurredAt: '2022-02-03T10:30:00+01:00', sources: [denial],
        data: { retractedEventId: retracted, retractedEventType: 'DemandAccepted', reason: 'NATO denied having yielded' },
      });
      const [struck] = (await read('/v1/timeline?party=NATO&type=DemandAccepted')).items;
      expect(struck).toMatchObject({
        eventId: retracted, retracted: true,
        retraction: { eventId: correction.eventId, reason: 'NATO denied having yielded', occurredAt: '2022-02-03T10:30:00+01:00', recordedAt: correction.recordedAt, sources: [denial] },
      });
      expect((await read('/v1/timeline?party=NATO&type=DemandRejected')).items[0].retraction).toBeNull();
    });

    it("falls back to the party's earlier answer, now and for what was known since", async () => {
      const demand = await read('/v1/demands/d-guarantees');
      expect(demand.status).toBe('answered');
      expect(demand.responses).toContainEqual({ party: 'NATO', response: 'rejected', at: '2022-01-12' });
      expect(await positionOn('NATO', 'ukraine-nato-membership')).toMatchObject({ stance: 'rejects' });
      expect(await positionOn('NATO', 'ukraine-nato-membership', `?knownAt=${knownBeforeTheDenial}`)).toMatchObject({ stance: 'accepts' });
      expect((await writer.post('/v1/demands/d-guarantees/rejections', { by: 'NATO', ...at('2022-02-04') })).status).toBe(409);
    });

    it('still takes a bare reason, dated when it is recorded and citing no source', async () => {
      const statement = await write('/v1/statements', { by: 'USA', issue: 'export-controls', stance: 'supports', summary: 'misattributed', ...at('2022-02-10') });
      const correction = await write(`/v1/events/${statement.eventId}/retractions`, { reason: 'misattributed' });
      const recorded = (await read('/v1/streams/party-USA/events')).items.find((event: any) => event.eventId === correction.eventId);
      expect(recorded).toMatchObject({ type: 'EventRetracted', sources: [] });
      expect(recorded.occurredAt).toMatch(isoInstant);
      const [struck] = (await read(`/v1/timeline?party=USA&type=PositionStated`)).items;
      expect(struck.retraction).toMatchObject({ reason: 'misattributed', sources: [], occurredAt: recorded.occurredAt });
    });

    it('refuses a malformed correction with a 400 naming the field, and one dated in the future with a 422; nothing is appended', async () => {
      const statement = await write('/v1/statements', { by: 'USA', issue: 'export-controls', stance: 'opposes', summary: 'stands', ...at('2022-02-11') });
      const path = `/v1/events/${statement.eventId}/retractions`;
      for (const [body, field] of [
        [{ reason: 'x', sources: [] }, 'sources'],
        [{ reason: 'x', sources: [{ outlet: 'TASS' }] }, 'sources[0]'],
        [{ reason: 'x', occurredAt: 'yesterday' }, 'occurredAt'],
        [{ reason: 'x', confidence: 'reported' }, 'confidence'],
      ] as const) {
        const response = await writer.post(path, body);
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(JSON.stringify(response.body.errors)).toContain(field);
      }
      const future = await writer.post(path, { reason: 'x', occurredAt: '2999-01-01' });
      expect(future.status).toBe(422);
      expect(future.body.code).toBe('OCCURRED_IN_FUTURE');
      expect((await read('/v1/timeline?party=USA&type=PositionStated')).items.find((item: any) => item.eventId === statement.eventId).retracted).toBe(false);
    });
  });

  describe('a coded development without a lifecycle', () => {
    let ruleId: string;
    let sanctions: { id: string; eventId: string; streamId: string };

    beforeAll(async () => {
      const rule = await admin.post('/v1/alert-rules', { name: 'reduced relations', kind: 'event', severity: 'high', match: { cameoRoots: ['16'] } });
      expect(rule.status).toBe(201);
      ruleId = rule.body.id;
      sanctions = await write('/v1/developments', {
        by: 'USA', to: ['RUS'], cameo: '163', issue: 'export-controls', summary: 'Sweeping export controls on Russia', ...at('2022-02-24'),
      });
      await write('/v1/developments', { id: 'appeal', by: 'NATO', to: ['RUS'], cameo: '0256', summary: 'Calls for de-escalation', ...at('2022-02-24') });
    });

    it('fills the root, quad class and Goldstein score of its code from the codebook', async () => {
      expect(sanctions.streamId).toBe(`development-${sanctions.id}`);
      const [envelope] = (await read(`/v1/streams/${sanctions.streamId}/events`)).items;
      const coding = { code: '163', root: '16', quadClass: 4, goldstein: -8 };
      expect(envelope).toMatchObject({ type: 'CodedDevelopmentRecorded', cameo: coding, data: { developmentId: sanctions.id, by: 'USA', to: ['RUS'], cameo: coding } });
    });

    it('shows on the timeline and counts in the relation and its tension', async () => {
      const timeline = await read('/v1/timeline?type=CodedDevelopmentRecorded');
      expect(timeline.items.map((item: any) => [item.summary, item.parties, item.cameo.code, item.goldstein])).toEqual([
        ['Calls for de-escalation', ['NATO', 'RUS'], '0256', -0.3],
        ['Sweeping export controls on Russia', ['USA', 'RUS'], '163', -8],
      ]);
      const relation = await read('/v1/relations/RUS/USA?from=2022-02-24');
      expect(relation.days).toEqual([{ date: '2022-02-24', events: 1, goldsteinSum: -8, cooperation: 0, conflict: 1 }]);
      expect(relation.tension7d).toBe(8);
    });

    it('never sets a stance: a later development on the issue leaves the stated one standing', async () => {
      expect(await positionOn('USA', 'export-controls')).toMatchObject({ stance: 'opposes', since: '2022-02-11' });
    });

    it('feeds an alert rule matching its CAMEO root, and no other development', async () => {
      const alerts = await eventually(() => admin.get('/v1/alerts'), (response) => response.body.items?.some((alert: any) => alert.ruleId === ruleId), 'the alert');
      expect(alerts.body.items.filter((alert: any) => alert.ruleId === ruleId)).toEqual([
        expect.objectContaining({ eventIds: [sanctions.eventId], parties: ['USA', 'RUS'], severity: 'high' }),
      ]);
      const badRoot = await admin.post('/v1/alert-rules', { name: 'no such root', kind: 'event', severity: 'low', match: { cameoRoots: ['21'] } });
      expect(badRoot.status).toBe(400);
      expect(JSON.stringify(badRoot.body.errors)).toContain('cameoRoots');
    });

    it('refuses a code the codebook lacks, or a root alone, with a 400 naming the field; and an id in use with a 409', async () => {
      for (const cameo of ['999', '16', 'abc', 163]) {
        const response = await writer.post('/v1/developments', { by: 'USA', to: ['RUS'], cameo, summary: 's', ...at('2022-02-24') });
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.body.errors.map((error: any) => error.path)).toEqual(['cameo']);
      }
      const selfDirected = await writer.post('/v1/developments', { by: 'USA', to: ['USA'], cameo: '163', summary: 's', ...at('2022-02-24') });
      expect(selfDirected.status).toBe(422);
      const unknown = await writer.post('/v1/developments', { by: 'USA', to: ['ATLANTIS'], cameo: '163', summary: 's', ...at('2022-02-24') });
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors).toEqual([{ path: 'to[0]', message: expect.stringContaining('ATLANTIS') }]);
      const taken = await writer.post('/v1/developments', { id: 'appeal', by: 'NATO', to: ['RUS'], cameo: '0256', summary: 's', ...at('2022-02-24') });
      expect(taken.status).toBe(409);
    });

    it('can be retracted like any development: it leaves the relation', async () => {
      await write(`/v1/events/${sanctions.eventId}/retractions`, { reason: 'the controls were announced, not imposed', sources: [reuters] });
      expect((await read('/v1/relations/RUS/USA?from=2022-02-24')).days).toEqual([]);
    });
  });

  it('shows in the OpenAPI document: the developments endpoint and its codes, a correction\'s provenance, the new timeline type', async () => {
    const { paths } = (await admin.get('/openapi.json')).body;
    const body = (path: string) => paths[path].post.requestBody.content['application/json'].schema;
    expect(body('/v1/developments').required).toEqual(expect.arrayContaining(['by', 'to', 'cameo', 'summary', 'occurredAt', 'sources']));
    expect(body('/v1/developments').properties.cameo.enum).toEqual(expect.arrayContaining(['0234', '163', '2042']));
    expect(body('/v1/developments').properties.cameo.enum).not.toContain('16');
    expect(Object.keys(body('/v1/events/{eventId}/retractions').properties)).toEqual(expect.arrayContaining(['reason', 'occurredAt', 'sources']));
    expect(body('/v1/events/{eventId}/retractions').required).toEqual(['reason']);
    const type = paths['/v1/timeline'].get.parameters.find((parameter: any) => parameter.name === 'type');
    expect(type.schema.enum).toContain('CodedDevelopmentRecorded');
  });

  it('rebuilds every read model these developments touch into the same tables', async () => {
    await read('/v1/timeline?limit=1');
    const live = await snapshotReadModels(db);
    await runReplay(apiClient(served.baseUrl, adminKey), {
      names: ['demands', 'proposals', 'positions', 'timeline', 'relations'], all: false, pollMs: 100,
      err: { write: () => true } as unknown as NodeJS.WritableStream,
    });
    expect(await snapshotReadModels(db)).toEqual(live);
  });
});
