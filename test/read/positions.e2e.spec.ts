// Positions over HTTP: stances written through the write API, read by party and by issue, now and bitemporally.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, type Client, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'positions-admin-key-0000000';
const source = { url: 'https://www.reuters.com/world/europe/nato-russia-talks-2022-01-12/', outlet: 'Reuters' };
const provenance = (occurredAt: string) => ({ occurredAt, sources: [source], confidence: 'confirmed' });
const isoNow = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('positions API', () => {
  let served: TestApp;
  let writer: Client;
  let reader: Client;

  /** Writes, expects a 201, and returns the write's consistency token and first event id. */
  async function write(path: string, body: object): Promise<{ token: string; eventId: string }> {
    const response = await writer.post(path, body);
    expect(response.status).toBe(201);
    return { token: response.body.consistencyToken, eventId: response.body.eventIds[0] };
  }

  const after = (token: string) => ({ 'x-consistency-token': token });

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    const admin = client(served.baseUrl, adminKey);
    writer = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'analyst', role: 'writer' })).body.key);
    reader = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'dashboard', role: 'reader' })).body.key);
    const tokens = [];
    for (const party of [
      { id: 'NATO', name: 'North Atlantic Treaty Organization', kind: 'organization' },
      { id: 'RUS', name: 'Russia', kind: 'state' },
      { id: 'USA', name: 'United States', kind: 'state', memberOf: ['NATO'] },
      { id: 'sherman', name: 'Wendy Sherman', kind: 'person', represents: 'USA', role: 'Deputy Secretary of State' },
    ]) {
      tokens.push((await write('/v1/parties', party)).token);
    }
    tokens.push((await write('/v1/issues', { id: 'nato-enlargement', title: 'NATO enlargement', description: 'whether NATO admits Ukraine' })).token);
    // A token covers its own stream: wait for each registration before the tests read them.
    for (const token of tokens) expect((await reader.get('/v1/issues', after(token))).status).toBe(200);
  });

  afterAll(() => served.close());

  it('lists parties (also of one kind) and issues, and shows one party', async () => {
    const parties = await reader.get('/v1/parties');
    expect(parties.status).toBe(200);
    expect(parties.body.items.map((party: { id: string }) => party.id)).toEqual(['NATO', 'RUS', 'USA', 'sherman']);
    expect(parties.body.nextCursor).toBeNull();

    const states = await reader.get('/v1/parties?kind=state&limit=1');
    expect(states.body.items).toEqual([
      { id: 'RUS', name: 'Russia', kind: 'state', memberOf: [], represents: null, role: null, registeredAt: expect.stringMatching(isoNow) },
    ]);
    const nextPage = await reader.get(`/v1/parties?kind=state&limit=1&cursor=${states.body.nextCursor}`);
    expect(nextPage.body).toEqual({ items: [expect.objectContaining({ id: 'USA', memberOf: ['NATO'] })], nextCursor: null });

    expect((await reader.get('/v1/parties/sherman')).body).toEqual({
      id: 'sherman', name: 'Wendy Sherman', kind: 'person', memberOf: [], represents: 'USA', role: 'Deputy Secretary of State',
      registeredAt: expect.stringMatching(isoNow),
    });
    expect((await reader.get('/v1/issues')).body).toEqual({
      items: [{ id: 'nato-enlargement', title: 'NATO enlargement', description: 'whether NATO admits Ukraine', registeredAt: expect.stringMatching(isoNow) }],
      nextCursor: null,
    });
  });

  it('shows a stated stance on the next read that carries the statement\'s consistency token', async () => {
    const statement = await write('/v1/statements', {
      by: 'USA', issue: 'nato-enlargement', stance: 'opposes', summary: 'no veto for Moscow over who joins NATO', ...provenance('2022-01-10'),
    });
    const response = await reader.get('/v1/parties/USA/positions', after(statement.token));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      party: 'USA', asOf: expect.stringMatching(isoNow), knownAt: expect.stringMatching(isoNow),
      positions: [{
        issue: 'nato-enlargement', stance: 'opposes', summary: 'no veto for Moscow over who joins NATO', since: '2022-01-10',
        basedOn: statement.eventId, sources: [source],
      }],
    });
  });

  it('reads positions by issue: a demand sets `demands`, its rejection `rejects`; asOf before the rejection shows the earlier stance', async () => {
    const demand = await writer.post('/v1/demands', {
      id: 'no-enlargement', by: 'RUS', addressedTo: ['NATO', 'USA'], issue: 'nato-enlargement',
      summary: 'legal guarantees that NATO will not admit Ukraine', ...provenance('2022-01-11'),
    });
    expect(demand.status).toBe(201);
    const rejection = await write('/v1/demands/no-enlargement/rejections', { by: 'USA', reason: 'the open door stays open', ...provenance('2022-01-12') });

    const byIssue = await reader.get('/v1/issues/nato-enlargement/positions', after(rejection.token));
    expect(byIssue.status).toBe(200);
    expect(byIssue.body).toEqual({
      issue: 'nato-enlargement',
      positions: [
        { party: 'RUS', stance: 'demands', summary: 'legal guarantees that NATO will not admit Ukraine', since: '2022-01-11', basedOn: demand.body.eventIds[0] },
        { party: 'USA', stance: 'rejects', summary: 'the open door stays open', since: '2022-01-12', basedOn: rejection.eventId },
      ],
    });

    const before = await reader.get('/v1/parties/USA/positions?asOf=2022-01-11');
    expect(before.body).toMatchObject({ party: 'USA', asOf: '2022-01-11T00:00:00.000Z', knownAt: expect.stringMatching(isoNow) });
    expect(before.body.positions.map((position: { stance: string }) => position.stance)).toEqual(['opposes']);
    const onIssueBefore = await reader.get('/v1/issues/nato-enlargement/positions?asOf=2022-01-11T12:00:00%2B01:00');
    expect(onIssueBefore.body.positions.map(({ party, stance }: { party: string; stance: string }) => [party, stance]))
      .toEqual([['RUS', 'demands'], ['USA', 'opposes']]);
  });

  it('falls back after a retraction, yet shows the retracted stance as known before the retraction', async () => {
    const timeline = await reader.get('/v1/timeline?party=USA&type=DemandRejected');
    const recordedAt = timeline.body.items[0].recordedAt as string;
    const rejectionId = timeline.body.items[0].eventId as string;
    const retraction = await write(`/v1/events/${rejectionId}/retractions`, { reason: 'the answer came from NATO, not the USA' });

    const now = await reader.get('/v1/parties/USA/positions', after(retraction.token));
    expect(now.body.positions.map((position: { stance: string }) => position.stance)).toEqual(['opposes']);
    const knownThen = await reader.get(`/v1/parties/USA/positions?knownAt=${encodeURIComponent(recordedAt)}`);
    expect(knownThen.body).toMatchObject({ knownAt: recordedAt, positions: [{ stance: 'rejects', basedOn: rejectionId }] });
  });

  it('an empty list, not a 404, for a registered party or issue that has no position yet', async () => {
    const party = await write('/v1/parties', { id: 'FRA', name: 'France', kind: 'state' });
    const issue = await write('/v1/issues', { id: 'arms-control', title: 'Arms control' });
    const partyPositions = await reader.get('/v1/parties/FRA/positions', after(party.token));
    expect(partyPositions.status).toBe(200);
    expect(partyPositions.body).toMatchObject({ party: 'FRA', positions: [] });
    const issuePositions = await reader.get('/v1/issues/arms-control/positions', after(issue.token));
    expect(issuePositions.status).toBe(200);
    expect(issuePositions.body).toMatchObject({ issue: 'arms-control', positions: [] });
  });

  it('404 for an unknown party or issue', async () => {
    const party = await reader.get('/v1/parties/XYZ/positions');
    expect(party.status).toBe(404);
    expect(party.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await reader.get('/v1/issues/no-such-issue/positions')).status).toBe(404);
    expect((await reader.get('/v1/parties/XYZ')).status).toBe(404);
  });

  it('400 for an asOf or knownAt that is neither a date nor an ISO timestamp, or an unknown parameter', async () => {
    const yesterday = await reader.get('/v1/parties/USA/positions?asOf=yesterday');
    expect(yesterday.status).toBe(400);
    expect(yesterday.body.errors.map((error: { path: string }) => error.path)).toEqual(['asOf']);
    expect((await reader.get('/v1/issues/nato-enlargement/positions?knownAt=2022-13-45')).status).toBe(400);
    expect((await reader.get('/v1/issues/nato-enlargement/positions?at=2022-01-12')).status).toBe(400);
    expect((await reader.get('/v1/parties?kind=empire')).status).toBe(400);
  });

  it('401 without a key; a reader key is enough', async () => {
    const anonymous = client(served.baseUrl);
    expect((await anonymous.get('/v1/parties/USA/positions')).status).toBe(401);
    expect((await anonymous.get('/v1/issues/nato-enlargement/positions')).status).toBe(401);
    expect((await anonymous.get('/v1/parties')).status).toBe(401);
    expect((await reader.get('/v1/parties/RUS/positions')).status).toBe(200);
  });
});
