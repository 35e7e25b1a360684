// Demands, meetings, warnings and proposals over HTTP: written through the write API, read back
// with their statuses, filters and pages, after retractions.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, type Client, type HttpResult, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'developments-admin-key-00000';
const source = { url: 'https://www.reuters.com/world/europe/nato-russia-talks-2022-01-12/', outlet: 'Reuters' };
const provenance = (occurredAt: string) => ({ occurredAt, sources: [source], confidence: 'confirmed' });
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

type Listed = { id: string };

describe('developments API', () => {
  let served: TestApp;
  let writer: Client;
  let reader: Client;
  const tokens: string[] = [];

  /** Writes, expects a 201, keeps the consistency token, and returns the first event id. */
  async function write(path: string, body: object): Promise<string> {
    const response = await writer.post(path, body);
    expect(response.status).toBe(201);
    tokens.push(response.body.consistencyToken);
    return response.body.eventIds[0];
  }

  async function retract(eventId: string, reason: string): Promise<void> {
    await write(`/v1/events/${eventId}/retractions`, { reason });
  }

  /** Ids of a list, in the order served. */
  async function ids(path: string): Promise<string[]> {
    const response = await reader.get(path);
    expect(response.status).toBe(200);
    expect(response.body.nextCursor).toBeNull();
    return response.body.items.map((item: Listed) => item.id);
  }

  /** Walks a list one item a page through `nextCursor`, returning the ids in order. */
  async function walk(path: string): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const response: HttpResult = await reader.get(`${path}${separator}limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      expect(response.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...response.body.items.map((item: Listed) => item.id));
      cursor = response.body.nextCursor;
    } while (cursor !== null && seen.length < 50);
    return seen;
  }

  async function expectBadQuery(path: string, param: string) {
    const response = await reader.get(path);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(response.body.errors)).toContain(param);
  }

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    const admin = client(served.baseUrl, adminKey);
    writer = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'analyst', role: 'writer' })).body.key);
    reader = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'dashboard', role: 'reader' })).body.key);
    for (const party of [
      { id: 'NATO', name: 'North Atlantic Treaty Organization', kind: 'organization' },
      { id: 'RUS', name: 'Russia', kind: 'state' },
      { id: 'USA', name: 'United States', kind: 'state', memberOf: ['NATO'] },
      { id: 'UKR', name: 'Ukraine', kind: 'state' },
    ]) {
      await write('/v1/parties', party);
    }
    await write('/v1/issues', { id: 'nato-enlargement', title: 'NATO enlargement' });
    await write('/v1/issues', { id: 'nato-posture', title: 'NATO force posture in eastern Europe' });

    // Demands. `d-drills` and `d-mixed` share a date: the later recorded comes first.
    const both = ['NATO', 'USA'];
    await write('/v1/demands', { id: 'd-enlargement', by: 'RUS', addressedTo: both, issue: 'nato-enlargement', summary: 'no further enlargement', terms: ['no membership for Ukraine'], ...provenance('2022-01-10') });
    await write('/v1/demands/d-enlargement/rejections', { by: 'NATO', reason: 'open door policy', ...provenance('2022-01-12') });
    await write('/v1/demands/d-enlargement/rejections', { by: 'USA', ...provenance('2022-01-13T16:00:00Z') });
    await write('/v1/demands', { id: 'd-drills', by: 'RUS', addressedTo: ['NATO'], issue: 'nato-posture', summary: 'no drills near Russia', terms: ['no exercises within 30 km', 'notify all drills'], ...provenance('2022-01-12') });
    const drillsAccepted = await write('/v1/demands/d-drills/acceptances', { by: 'NATO', ...provenance('2022-01-14') });
    await retract(drillsAccepted, 'NATO denied having agreed');
    await write('/v1/demands', { id: 'd-mixed', by: 'RUS', addressedTo: both, issue: 'nato-enlargement', summary: 'written security guarantees', ...provenance('2022-01-12') });
    await write('/v1/demands/d-mixed/acceptances', { by: 'NATO', ...provenance('2022-01-13') });
    await write('/v1/demands/d-mixed/rejections', { by: 'USA', ...provenance('2022-01-14') });
    await write('/v1/demands', { id: 'd-reopened', by: 'USA', addressedTo: ['RUS'], issue: 'nato-posture', summary: 'pull troops back from the border', ...provenance('2022-01-14T12:00:00Z') });
    const reopenedWithdrawal = await write('/v1/demands/d-reopened/withdrawals', { by: 'USA', ...provenance('2022-01-15') });
    await retract(reopenedWithdrawal, 'the withdrawal was a rumour');
    await write('/v1/demands', { id: 'd-withdrawn', by: 'USA', addressedTo: ['RUS'], issue: 'nato-posture', summary: 'de-escalate', ...provenance('2022-01-16') });
    await write('/v1/demands/d-withdrawn/withdrawals', { by: 'USA', reason: 'overtaken by events', ...provenance('2022-01-17') });
    const falseDemand = await write('/v1/demands', { id: 'd-false', by: 'RUS', addressedTo: ['USA'], issue: 'nato-posture', summary: 'misreported', ...provenance('2022-01-18') });
    await retract(falseDemand, 'never made');

    // Meetings.
    const delegates = [{ name: 'Wendy Sherman', party: 'USA', role: 'Deputy Secretary of State' }, { name: 'Sergei Ryabkov', party: 'RUS' }];
    await write('/v1/meetings', {
      id: 'm-geneva', title: 'Strategic Stability Dialogue', format: 'bilateral talks', location: 'Geneva', participants: ['USA', 'RUS'],
      delegates, issues: ['nato-enlargement'], outcome: 'no breakthrough', ...provenance('2022-01-10'),
    });
    await write('/v1/meetings/scheduled', { id: 'm-nrc', title: 'NATO-Russia Council', location: 'Brussels', participants: ['NATO', 'RUS'], scheduledFor: '2022-01-12', ...provenance('2022-01-05') });
    await write('/v1/meetings/m-nrc/held', { outcome: 'talks to continue', ...provenance('2022-01-12') });
    await write('/v1/meetings/scheduled', { id: 'm-osce', title: 'OSCE Permanent Council', participants: ['RUS', 'USA', 'UKR'], scheduledFor: '2022-01-13', ...provenance('2022-01-06') });
    await write('/v1/meetings/scheduled', { id: 'm-summit', title: 'Biden-Putin summit', participants: ['USA', 'RUS'], scheduledFor: '2022-02-28', ...provenance('2022-01-20') });
    await write('/v1/meetings/m-summit/cancellations', { by: 'USA', reason: 'invasion', ...provenance('2022-02-22') });
    const rumour = await write('/v1/meetings/scheduled', { id: 'm-rumour', title: 'Secret channel', participants: ['USA', 'RUS'], scheduledFor: '2022-03-01', ...provenance('2022-01-07') });
    await retract(rumour, 'no such meeting');

    // Warnings.
    await write('/v1/warnings', { id: 'w-costs', by: 'NATO', to: ['RUS'], issue: 'nato-enlargement', condition: 'if Russia uses force against Ukraine', consequence: 'severe costs', severity: 'high', kind: 'economic', ...provenance('2022-01-12') });
    await write('/v1/warnings', { id: 'w-military', by: 'RUS', to: ['NATO', 'USA'], consequence: 'military-technical response', severity: 'critical', kind: 'military', ...provenance('2022-01-13T10:00:00Z') });
    await write('/v1/warnings', { id: 'w-mild', by: 'USA', to: ['RUS'], consequence: 'diplomatic consequences', severity: 'low', ...provenance('2022-01-20') });
    await write('/v1/warnings', { id: 'w-medium', by: 'USA', to: ['RUS', 'UKR'], consequence: 'sanctions review', severity: 'medium', kind: 'diplomatic', ...provenance('2022-01-25') });
    const falseWarning = await write('/v1/warnings', { id: 'w-false', by: 'RUS', to: ['UKR'], consequence: 'misquoted', severity: 'critical', ...provenance('2022-01-26') });
    await retract(falseWarning, 'misquoted');

    // Proposals.
    await write('/v1/proposals', { id: 'p-talks', by: 'USA', to: ['RUS'], issue: 'nato-posture', summary: 'arms control talks', ...provenance('2022-01-10') });
    await write('/v1/proposals/p-talks/acceptances', { by: 'RUS', ...provenance('2022-01-11') });
    await write('/v1/proposals', { id: 'p-moratorium', by: 'RUS', to: ['NATO', 'USA'], summary: 'missile moratorium', ...provenance('2022-01-11') });
    await write('/v1/proposals/p-moratorium/acceptances', { by: 'NATO', ...provenance('2022-01-12') });
    await write('/v1/proposals/p-moratorium/declines', { by: 'USA', reason: 'unverifiable', ...provenance('2022-01-13') });
    await write('/v1/proposals', { id: 'p-pending', by: 'USA', to: ['RUS', 'UKR'], summary: 'trilateral contact group', ...provenance('2022-01-12') });
    await write('/v1/proposals/p-pending/acceptances', { by: 'UKR', ...provenance('2022-01-13') });
    await write('/v1/proposals', { id: 'p-declined', by: 'NATO', to: ['RUS'], summary: 'risk reduction', ...provenance('2022-01-13') });
    await write('/v1/proposals/p-declined/declines', { by: 'RUS', ...provenance('2022-01-14') });
    const falseProposal = await write('/v1/proposals', { id: 'p-false', by: 'NATO', to: ['RUS'], summary: 'misreported', ...provenance('2022-01-14') });
    await retract(falseProposal, 'misreported');

    // A token covers its own stream: wait for each write before the tests read.
    for (const token of tokens) expect((await reader.get('/v1/demands?limit=1', { 'x-consistency-token': token })).status).toBe(200);
  });

  afterAll(() => served.close());

  describe('GET /v1/demands', () => {
    it('lists demands newest first with each addressee\'s answer and the status they add up to', async () => {
      const response = await reader.get('/v1/demands');
      expect(response.status).toBe(200);
      expect(response.body.nextCursor).toBeNull();
      expect(response.body.items).toEqual([
        { id: 'd-withdrawn', by: 'USA', addressedTo: ['RUS'], issue: 'nato-posture', summary: 'de-escalate', status: 'withdrawn', issuedAt: '2022-01-16', responses: [] },
        { id: 'd-reopened', by: 'USA', addressedTo: ['RUS'], issue: 'nato-posture', summary: 'pull troops back from the border', status: 'open', issuedAt: '2022-01-14T12:00:00Z', responses: [] },
        { id: 'd-mixed', by: 'RUS', addressedTo: ['NATO', 'USA'], issue: 'nato-enlargement', summary: 'written security guarantees', status: 'answered', issuedAt: '2022-01-12',
          responses: [{ party: 'NATO', response: 'accepted', at: '2022-01-13' }, { party: 'USA', response: 'rejected', at: '2022-01-14' }] },
        { id: 'd-drills', by: 'RUS', addressedTo: ['NATO'], issue: 'nato-posture', summary: 'no drills near Russia', status: 'open', issuedAt: '2022-01-12', responses: [] },
        { id: 'd-enlargement', by: 'RUS', addressedTo: ['NATO', 'USA'], issue: 'nato-enlargement', summary: 'no further enlargement', status: 'rejected', issuedAt: '2022-01-10',
          responses: [{ party: 'NATO', response: 'rejected', at: '2022-01-12' }, { party: 'USA', response: 'rejected', at: '2022-01-13T16:00:00Z' }] },
      ]);
    });

    it('filters by status, issuer, addressee and issue, alone and together', async () => {
      expect(await ids('/v1/demands?status=open')).toEqual(['d-reopened', 'd-drills']);
      expect(await ids('/v1/demands?status=answered')).toEqual(['d-mixed']);
      expect(await ids('/v1/demands?status=rejected')).toEqual(['d-enlargement']);
      expect(await ids('/v1/demands?status=withdrawn')).toEqual(['d-withdrawn']);
      // d-drills' only acceptance was retracted.
      expect(await ids('/v1/demands?status=accepted')).toEqual([]);
      expect(await ids('/v1/demands?by=USA')).toEqual(['d-withdrawn', 'd-reopened']);
      expect(await ids('/v1/demands?addressedTo=NATO')).toEqual(['d-mixed', 'd-drills', 'd-enlargement']);
      expect(await ids('/v1/demands?issue=nato-enlargement')).toEqual(['d-mixed', 'd-enlargement']);
      expect(await ids('/v1/demands?addressedTo=USA&status=answered&by=RUS&issue=nato-enlargement')).toEqual(['d-mixed']);
    });

    it('walks every page one demand at a time, in the order of the full list', async () => {
      expect(await walk('/v1/demands')).toEqual(['d-withdrawn', 'd-reopened', 'd-mixed', 'd-drills', 'd-enlargement']);
      expect(await walk('/v1/demands?addressedTo=NATO')).toEqual(['d-mixed', 'd-drills', 'd-enlargement']);
    });

    it('shows one demand with its terms and its history, the retracted acceptance flagged and the retraction\'s reason', async () => {
      const response = await reader.get('/v1/demands/d-drills');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        id: 'd-drills', by: 'RUS', addressedTo: ['NATO'], issue: 'nato-posture', summary: 'no drills near Russia', status: 'open', issuedAt: '2022-01-12', responses: [],
        terms: ['no exercises within 30 km', 'notify all drills'],
        history: [
          { eventId: expect.any(String), type: 'DemandIssued', occurredAt: '2022-01-12', recordedAt: expect.stringMatching(isoInstant), by: 'RUS', reason: null, retracted: false },
          { eventId: expect.any(String), type: 'DemandAccepted', occurredAt: '2022-01-14', recordedAt: expect.stringMatching(isoInstant), by: 'NATO', reason: null, retracted: true },
          { eventId: expect.any(String), type: 'EventRetracted', occurredAt: expect.stringMatching(isoInstant), recordedAt: expect.stringMatching(isoInstant), by: null, reason: 'NATO denied having agreed', retracted: false },
        ],
      });

      const withdrawn = await reader.get('/v1/demands/d-withdrawn');
      expect(withdrawn.body.history.map((entry: { type: string; reason: string | null }) => [entry.type, entry.reason]))
        .toEqual([['DemandIssued', null], ['DemandWithdrawn', 'overtaken by events']]);
    });

    it('404 for a demand whose issuance was retracted and for one never issued; neither is listed', async () => {
      for (const id of ['d-false', 'd-unknown', '%00']) {
        const response = await reader.get(`/v1/demands/${id}`);
        expect(response.status).toBe(404);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
      expect(await ids('/v1/demands?by=RUS')).not.toContain('d-false');
    });

    it('400 for an unknown parameter, a limit out of 1–500, a bad status or a forged cursor', async () => {
      await expectBadQuery('/v1/demands?colour=red', 'colour');
      await expectBadQuery('/v1/demands?limit=0', 'limit');
      await expectBadQuery('/v1/demands?limit=501', 'limit');
      await expectBadQuery('/v1/demands?status=pending', 'status');
      await expectBadQuery(`/v1/demands?cursor=${Buffer.from('["yesterday","1"]').toString('base64url')}`, 'cursor');
      await expectBadQuery('/v1/demands?cursor=nonsense', 'cursor');
      // A NUL byte would make Postgres fail the query: it must stop at validation.
      await expectBadQuery('/v1/demands?by=%00', 'by');
    });
  });

  describe('GET /v1/meetings', () => {
    it('lists meetings by their latest step, held, scheduled or cancelled, with the whole meeting', async () => {
      const response = await reader.get('/v1/meetings');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        items: [
          { id: 'm-summit', title: 'Biden-Putin summit', format: null, location: null, status: 'cancelled', participants: ['USA', 'RUS'], delegates: [], issues: [],
            occurredAt: '2022-02-22', scheduledFor: '2022-02-28', outcome: null },
          { id: 'm-nrc', title: 'NATO-Russia Council', format: null, location: 'Brussels', status: 'held', participants: ['NATO', 'RUS'], delegates: [], issues: [],
            occurredAt: '2022-01-12', scheduledFor: '2022-01-12', outcome: 'talks to continue' },
          { id: 'm-geneva', title: 'Strategic Stability Dialogue', format: 'bilateral talks', location: 'Geneva', status: 'held', participants: ['USA', 'RUS'],
            delegates: [{ name: 'Wendy Sherman', party: 'USA', role: 'Deputy Secretary of State' }, { name: 'Sergei Ryabkov', party: 'RUS' }],
            issues: ['nato-enlargement'], occurredAt: '2022-01-10', scheduledFor: null, outcome: 'no breakthrough' },
          { id: 'm-osce', title: 'OSCE Permanent Council', format: null, location: null, status: 'scheduled', participants: ['RUS', 'USA', 'UKR'], delegates: [], issues: [],
            occurredAt: '2022-01-06', scheduledFor: '2022-01-13', outcome: null },
        ],
        nextCursor: null,
      });
    });

    it('filters by participant and by the meeting\'s date (held, else planned)', async () => {
      expect(await ids('/v1/meetings?party=UKR')).toEqual(['m-osce']);
      expect(await ids('/v1/meetings?party=NATO')).toEqual(['m-nrc']);
      expect(await ids('/v1/meetings?party=RUS')).toEqual(['m-summit', 'm-nrc', 'm-geneva', 'm-osce']);
      expect(await ids('/v1/meetings?from=2022-01-11&to=2022-01-31')).toEqual(['m-nrc', 'm-osce']);
      expect(await ids('/v1/meetings?party=USA&from=2022-02-01T00:00:00Z')).toEqual(['m-summit']);
      expect(await ids('/v1/meetings?to=2022-01-10')).toEqual(['m-geneva']);
    });

    it('walks every page one meeting at a time, with and without a participant', async () => {
      expect(await walk('/v1/meetings')).toEqual(['m-summit', 'm-nrc', 'm-geneva', 'm-osce']);
      expect(await walk('/v1/meetings?party=USA')).toEqual(['m-summit', 'm-geneva', 'm-osce']);
    });

    it('shows one meeting; 404 for one whose only scheduling was retracted and for an unknown one', async () => {
      const response = await reader.get('/v1/meetings/m-nrc');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: 'm-nrc', status: 'held', occurredAt: '2022-01-12', scheduledFor: '2022-01-12', outcome: 'talks to continue' });
      expect((await reader.get('/v1/meetings/m-rumour')).status).toBe(404);
      expect((await reader.get('/v1/meetings/m-unknown')).status).toBe(404);
      expect((await reader.get('/v1/meetings/%00')).status).toBe(404);
    });

    it('400 for an unknown parameter, a limit out of range or a date that is not one', async () => {
      await expectBadQuery('/v1/meetings?participant=RUS', 'participant');
      await expectBadQuery('/v1/meetings?limit=0', 'limit');
      await expectBadQuery('/v1/meetings?limit=501', 'limit');
      await expectBadQuery('/v1/meetings?from=last-week', 'from');
    });
  });

  describe('GET /v1/warnings', () => {
    it('lists warnings newest first; a retracted one is gone', async () => {
      const response = await reader.get('/v1/warnings');
      expect(response.status).toBe(200);
      expect(response.body.items.map((warning: Listed) => warning.id)).toEqual(['w-medium', 'w-mild', 'w-military', 'w-costs']);
      expect(response.body.items[3]).toEqual({
        id: 'w-costs', by: 'NATO', to: ['RUS'], issue: 'nato-enlargement', condition: 'if Russia uses force against Ukraine', consequence: 'severe costs',
        severity: 'high', kind: 'economic', occurredAt: '2022-01-12',
      });
      expect(response.body.items[1]).toEqual({
        id: 'w-mild', by: 'USA', to: ['RUS'], issue: null, condition: null, consequence: 'diplomatic consequences', severity: 'low', kind: null, occurredAt: '2022-01-20',
      });
    });

    it('filters by giver, by minimum severity and by time', async () => {
      expect(await ids('/v1/warnings?by=USA')).toEqual(['w-medium', 'w-mild']);
      expect(await ids('/v1/warnings?minSeverity=high')).toEqual(['w-military', 'w-costs']);
      expect(await ids('/v1/warnings?minSeverity=critical')).toEqual(['w-military']);
      expect(await ids('/v1/warnings?minSeverity=medium&from=2022-01-13')).toEqual(['w-medium', 'w-military']);
      expect(await ids('/v1/warnings?minSeverity=low')).toEqual(['w-medium', 'w-mild', 'w-military', 'w-costs']);
    });

    it('reads `to` as the warned party, or as the end of the time range when it is a date or timestamp, or as both', async () => {
      expect(await ids('/v1/warnings?to=RUS')).toEqual(['w-medium', 'w-mild', 'w-costs']);
      expect(await ids('/v1/warnings?to=2022-01-15')).toEqual(['w-military', 'w-costs']);
      expect(await ids('/v1/warnings?to=2022-01-13T09:59:59Z')).toEqual(['w-costs']);
      expect(await ids('/v1/warnings?to=RUS&to=2022-01-22')).toEqual(['w-mild', 'w-costs']);
      expect(await ids('/v1/warnings?to=2022-01-22&to=RUS&from=2022-01-13')).toEqual(['w-mild']);
    });

    it('walks every page one warning at a time', async () => {
      expect(await walk('/v1/warnings')).toEqual(['w-medium', 'w-mild', 'w-military', 'w-costs']);
      expect(await walk('/v1/warnings?to=RUS')).toEqual(['w-medium', 'w-mild', 'w-costs']);
    });

    it('400 for an unknown parameter, a limit out of range, a bad severity, or `to` twice as a date or twice as a party', async () => {
      await expectBadQuery('/v1/warnings?severity=high', 'severity');
      await expectBadQuery('/v1/warnings?limit=0', 'limit');
      await expectBadQuery('/v1/warnings?limit=501', 'limit');
      await expectBadQuery('/v1/warnings?minSeverity=severe', 'minSeverity');
      await expectBadQuery('/v1/warnings?to=2022-01-01&to=2022-02-01', 'to');
      await expectBadQuery('/v1/warnings?to=RUS&to=USA', 'to');
      await expectBadQuery('/v1/warnings?to=%00', 'to');
    });
  });

  describe('GET /v1/proposals', () => {
    it('lists proposals newest first with answers; open until all answer, then accepted only if all accepted', async () => {
      const response = await reader.get('/v1/proposals');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        items: [
          { id: 'p-declined', by: 'NATO', to: ['RUS'], issue: null, summary: 'risk reduction', status: 'declined', occurredAt: '2022-01-13',
            responses: [{ party: 'RUS', response: 'declined', at: '2022-01-14' }] },
          { id: 'p-pending', by: 'USA', to: ['RUS', 'UKR'], issue: null, summary: 'trilateral contact group', status: 'open', occurredAt: '2022-01-12',
            responses: [{ party: 'UKR', response: 'accepted', at: '2022-01-13' }] },
          // Every addressee answered, one declined: the proposal did not carry.
          { id: 'p-moratorium', by: 'RUS', to: ['NATO', 'USA'], issue: null, summary: 'missile moratorium', status: 'declined', occurredAt: '2022-01-11',
            responses: [{ party: 'NATO', response: 'accepted', at: '2022-01-12' }, { party: 'USA', response: 'declined', at: '2022-01-13' }] },
          { id: 'p-talks', by: 'USA', to: ['RUS'], issue: 'nato-posture', summary: 'arms control talks', status: 'accepted', occurredAt: '2022-01-10',
            responses: [{ party: 'RUS', response: 'accepted', at: '2022-01-11' }] },
        ],
        nextCursor: null,
      });
    });

    it('filters by proposer, addressee and status', async () => {
      expect(await ids('/v1/proposals?by=USA')).toEqual(['p-pending', 'p-talks']);
      expect(await ids('/v1/proposals?to=RUS')).toEqual(['p-declined', 'p-pending', 'p-talks']);
      expect(await ids('/v1/proposals?status=declined')).toEqual(['p-declined', 'p-moratorium']);
      expect(await ids('/v1/proposals?status=open')).toEqual(['p-pending']);
      expect(await ids('/v1/proposals?status=accepted&to=RUS')).toEqual(['p-talks']);
    });

    it('walks every page one proposal at a time', async () => {
      expect(await walk('/v1/proposals')).toEqual(['p-declined', 'p-pending', 'p-moratorium', 'p-talks']);
    });

    it('400 for an unknown parameter, a limit out of range or a bad status', async () => {
      await expectBadQuery('/v1/proposals?issue=nato-posture', 'issue');
      await expectBadQuery('/v1/proposals?limit=0', 'limit');
      await expectBadQuery('/v1/proposals?limit=501', 'limit');
      await expectBadQuery('/v1/proposals?status=answered', 'status');
    });
  });

  it('401 without a key on every development list', async () => {
    const anonymous = client(served.baseUrl);
    for (const path of ['/v1/demands', '/v1/demands/d-drills', '/v1/meetings', '/v1/meetings/m-nrc', '/v1/warnings', '/v1/proposals']) {
      expect((await anonymous.get(path)).status).toBe(401);
    }
  });
});
