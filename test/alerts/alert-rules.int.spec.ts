// Each kind of alert rule over the real broker and database: developments are appended to the
// journal, relayed to Kafka and evaluated by the alerter's runner; what it raised is read back
// from the alerts table. Each case says when the rule must fire and, at the edges, when it must not.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { cameoOfCode, type ChanceryEvent } from '#domain';
import { development, type ProjectionHarness, startProjectionHarness } from '#testing';
import { alertChannel, type AlertRuleView, alertRuleDefinition, createAlertRule } from '#read-models';
import { alerterProjection, sweepUnansweredDemands } from '../../apps/alerter/src/evaluation/alerter.projection.js';

type Alert = { trigger_key: string; occurred_at: string; event_ids: string[]; parties: string[]; summary: string; details: Record<string, unknown> };

const warning = (day: string, by: string, to: string[], severity: 'low' | 'medium' | 'high' | 'critical', kind?: 'military') =>
  development('WarningGiven', day, { warningId: randomUUID(), by, to, consequence: 'consequences', severity, ...(kind ? { kind } : {}) });
const coded = (day: string, by: string, to: string[], code: string) =>
  development('CodedDevelopmentRecorded', day, { developmentId: randomUUID(), by, to, cameo: cameoOfCode(code), summary: `CAMEO ${code}` });

describe('alert rules', () => {
  let harness: ProjectionHarness;
  /** The alerter's wall clock, moved by the unanswered-demand cases. */
  let now = new Date('2022-01-07T12:00:00Z');

  beforeAll(async () => {
    harness = await startProjectionHarness({ projections: [alerterProjection({ clock: () => now })] });
  });
  afterAll(() => harness.stop());

  async function rule(body: Record<string, unknown>): Promise<AlertRuleView> {
    return createAlertRule(harness.pool, { definition: alertRuleDefinition.parse({ severity: 'high', ...body }) });
  }

  async function append(streamId: string, ...events: ChanceryEvent[]) {
    const appended = await harness.append(streamId, events);
    await harness.caughtUp();
    return appended;
  }

  async function alertsOf(ruleId: string): Promise<Alert[]> {
    const { rows } = await harness.pool.query<Alert>(
      'SELECT trigger_key, occurred_at, event_ids, parties, summary, details FROM alerts WHERE rule_id = $1 ORDER BY seq', [ruleId]);
    return rows;
  }

  describe('event', () => {
    it('fires once per matching development recorded after the rule, warnings at or above the minimum severity', async () => {
      await append('warning-before', warning('2022-01-10', 'NATO', ['RUS'], 'critical'));
      const nato = await rule({ name: 'NATO warnings', kind: 'event', match: { types: ['WarningGiven'], parties: ['NATO'], minSeverity: 'high' } });

      const [high] = await append('warning-high', warning('2022-01-12', 'NATO', ['RUS'], 'high', 'military'));
      await append('warning-medium', warning('2022-01-12', 'NATO', ['RUS'], 'medium'));
      await append('warning-usa', warning('2022-01-12', 'USA', ['RUS'], 'critical'));
      await append('party-NATO', development('PositionStated', '2022-01-12', { by: 'NATO', issue: 'nato-open-door', stance: 'supports', summary: 'open door' }));
      const [critical] = await append('warning-critical', warning('2022-01-13', 'RUS', ['NATO', 'USA'], 'critical'));

      const alerts = await alertsOf(nato.id);
      expect(alerts.map((alert) => alert.event_ids)).toEqual([[high!.eventId], [critical!.eventId]]);
      expect(alerts[0]).toMatchObject({
        trigger_key: `event:${high!.eventId}`, occurred_at: '2022-01-12', parties: ['NATO', 'RUS'],
        details: { eventType: 'WarningGiven', streamId: 'warning-high' },
      });
      expect(alerts[0]!.summary).toContain('consequences');
      expect(alerts[1]!.parties).toEqual(['RUS', 'NATO', 'USA']);
    });

    it('matches developments by the root of their CAMEO code, coded and lifecycle ones alike', async () => {
      const threats = await rule({ name: 'threats', kind: 'event', match: { cameoRoots: ['13'], parties: ['LTU'] } });
      const [sanctionThreat] = await append('development-threat', coded('2022-01-12', 'LTU', ['BLR'], '1312'));
      const [warned] = await append('warning-ltu', warning('2022-01-12', 'LTU', ['BLR'], 'low'));
      await append('development-appeal', coded('2022-01-12', 'LTU', ['BLR'], '0233'));
      await append('development-arrest', coded('2022-01-12', 'BLR', ['LTU'], '173'));
      expect((await alertsOf(threats.id)).map((alert) => alert.event_ids)).toEqual([[sanctionThreat!.eventId], [warned!.eventId]]);
    });

    it('matches an issue among a meeting\'s issues, and any type when none is named', async () => {
      const posture = await rule({ name: 'eastern posture', kind: 'event', match: { issues: ['nato-eastern-posture'] } });
      const [held] = await append('meeting-nrc', development('MeetingHeld', '2022-01-12', {
        meetingId: 'nrc', title: 'NATO-Russia Council', participants: ['NATO', 'RUS'], delegates: [], issues: ['european-security', 'nato-eastern-posture'], negotiation: false,
      }));
      await append('meeting-other', development('MeetingHeld', '2022-01-12', {
        meetingId: 'other', title: 'other talks', participants: ['NATO', 'RUS'], delegates: [], issues: ['european-security'], negotiation: false,
      }));
      expect((await alertsOf(posture.id)).map((alert) => alert.event_ids)).toEqual([[held!.eventId]]);
    });

    // A NOTIFY payload of 8000 bytes or more is an error, which would fail the batch and set the development aside.
    it('raises the alert of a development with a hundred parties, and the live stream gets a shortened copy', async () => {
      const participants = Array.from({ length: 100 }, (_, index) => `delegation-${String(index).padStart(3, '0')}-${'x'.repeat(100)}`);
      const plenary = await rule({ name: 'plenaries', kind: 'event', match: { types: ['MeetingHeld'], parties: [participants[0]] } });
      const listener = new pg.Client({ connectionString: harness.databaseUrl });
      await listener.connect();
      const heard = new Promise<Record<string, unknown>>((resolve) => listener.on('notification', ({ payload }) => {
        const alert = JSON.parse(payload!) as Record<string, unknown>;
        if (alert.ruleId === plenary.id) resolve(alert);
      }));
      await listener.query(`LISTEN ${alertChannel}`);
      try {
        await append('meeting-plenary', development('MeetingHeld', '2022-01-14', {
          meetingId: 'plenary', title: 'plenary', participants, delegates: [], issues: [], negotiation: false,
        }));
        const [alert] = await alertsOf(plenary.id);
        expect(alert!.parties).toEqual(participants);
        expect(await heard).toMatchObject({ ruleId: plenary.id, truncated: true, parties: participants.slice(0, 10) });
      } finally {
        await listener.end();
      }
    });
  });

  describe('tension', () => {
    // Goldstein: demand −5, non-military warning −4.4, cancellation −7, negotiation held +7. One development a day.
    it('fires on each day the 7-day index crosses the threshold, up or down, including one exactly at it', async () => {
      const tension = await rule({ name: 'GBR–IRL tension', kind: 'tension', pair: ['IRL', 'GBR'], window: '7d', threshold: 5 });
      const demand = (id: string, day: string) => development('DemandIssued', day, { demandId: id, by: 'IRL', addressedTo: ['GBR'], issue: 'border', summary: 'a border poll', terms: [] });

      await append('demand-t1', demand('t1', '2022-02-01')); // 5.00: exactly at the threshold, from no index
      await append('warning-t2', warning('2022-02-02', 'GBR', ['IRL'], 'medium')); // (5 + 4.4) / 2 = 4.70: below
      await append('warning-t3', warning('2022-02-03', 'GBR', ['IRL'], 'medium')); // 13.8 / 3 = 4.60: still below
      await append('warning-other', warning('2022-02-03', 'GBR', ['FRA'], 'critical', 'military')); // another pair
      await append('meeting-t4', development('MeetingCancelled', '2022-02-04', { meetingId: 't4', by: 'IRL', participants: ['GBR', 'IRL'], issues: [] })); // 20.8 / 4 = 5.20
      // The window of 12 February starts on the 6th: only the negotiation is in it.
      await append('meeting-t5', development('MeetingHeld', '2022-02-12', {
        meetingId: 't5', title: 'talks', participants: ['GBR', 'IRL'], delegates: [], issues: [], negotiation: true,
      })); // −7.00

      const alerts = await alertsOf(tension.id);
      expect(alerts.map((alert) => alert.trigger_key)).toEqual([
        'tension:2022-02-01:up', 'tension:2022-02-02:down', 'tension:2022-02-04:up', 'tension:2022-02-12:down',
      ]);
      expect(alerts.map((alert) => [alert.details.previousTension, alert.details.tension])).toEqual([[null, 5], [5, 4.7], [4.6, 5.2], [5.2, -7]]);
      expect(alerts[2]).toMatchObject({ occurred_at: '2022-02-04', parties: ['IRL', 'GBR'] });
      expect(alerts[2]!.summary).toBe('IRL–GBR 7d tension rose to 5.2 on 2022-02-04, crossing 5 (was 4.6 on 2022-02-03)');
    });

    it('counts a development recorded late on the day it happened, as the relations read model does', async () => {
      const tension = await rule({ name: 'ESP–MAR tension', kind: 'tension', pair: ['ESP', 'MAR'], window: '30d', threshold: 4.5 });
      await append('warning-m1', warning('2022-03-01', 'ESP', ['MAR'], 'medium')); // 4.40
      await append('warning-m2', warning('2022-03-05', 'ESP', ['MAR'], 'medium')); // 4.40
      expect(await alertsOf(tension.id)).toEqual([]);
      // Recorded later, it happened on 3 March: the index of 3 March is (4.4 + 7) / 2 = 5.70, of 5 March (4.4 + 7 + 4.4) / 3 = 5.27.
      await append('meeting-m3', development('MeetingCancelled', '2022-03-03', { meetingId: 'm3', by: 'MAR', participants: ['ESP', 'MAR'], issues: [] }));
      expect((await alertsOf(tension.id)).map((alert) => [alert.trigger_key, alert.details.tension])).toEqual([['tension:2022-03-03:up', 5.7]]);
    });
  });

  describe('surge', () => {
    // Eight of IRN's warnings in the 28 days before the window: 2 a week on average.
    const baselineDays = ['2022-02-24', '2022-02-26', '2022-02-28', '2022-03-02', '2022-03-04', '2022-03-06', '2022-03-08', '2022-03-10'];
    const match = { types: ['WarningGiven'], parties: ['IRN'] };
    let doubling: AlertRuleView;
    let baselineTooSmall: AlertRuleView;
    let tripling: AlertRuleView;
    const surgeWarnings: string[] = [];

    beforeAll(async () => {
      doubling = await rule({ name: 'IRN doubling', kind: 'surge', match, window: '7d', baseline: '28d', increase: 1.0, minBaseline: 2 });
      baselineTooSmall = await rule({ name: 'IRN, baseline 2.25', kind: 'surge', match, increase: 1.0, minBaseline: 2.25 });
      tripling = await rule({ name: 'IRN +150%', kind: 'surge', match, increase: 1.5, minBaseline: 2 });
      for (const [index, day] of baselineDays.entries()) await append(`warning-irn-b${index}`, warning(day, 'IRN', ['ISR'], 'high'));
      // A development that does not match counts for nothing.
      await append('warning-isr', warning('2022-03-27', 'ISR', ['USA'], 'high'));
    });

    it('stays quiet while the window is under (1 + increase) × the baseline average', async () => {
      for (const day of ['2022-03-26', '2022-03-27', '2022-03-28']) surgeWarnings.push((await append(`warning-irn-${day}`, warning(day, 'IRN', ['ISR'], 'high')))[0]!.eventId);
      expect(await alertsOf(doubling.id)).toEqual([]);
    });

    it('fires once when the window reaches it exactly, not again for each development while it lasts', async () => {
      surgeWarnings.push((await append('warning-irn-2022-03-29', warning('2022-03-29', 'IRN', ['ISR'], 'high')))[0]!.eventId);
      await append('warning-irn-2022-03-29b', warning('2022-03-29', 'IRN', ['USA'], 'high'));
      await append('warning-irn-2022-03-30', warning('2022-03-30', 'IRN', ['ISR'], 'high'));
      const alerts = await alertsOf(doubling.id);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({
        trigger_key: 'surge:2022-03-29', occurred_at: '2022-03-29', parties: ['IRN'],
        details: { day: '2022-03-29', count: 4, baselineCount: 8, baselineAverage: 2, window: '7d', baseline: '28d' },
      });
      expect(alerts[0]!.event_ids).toEqual([surgeWarnings[3]]);
      expect(alerts[0]!.summary).toBe('4 matching developments in the 7 days to 2022-03-29, against 2 per 7d in the 28 days before (+100%)');
    });

    it('fires for a larger increase only when the window reaches it, here with a second development on the same day', async () => {
      // 5 ≥ 2.5 × 2 once the second warning of 29 March is in.
      expect((await alertsOf(tripling.id)).map((alert) => [alert.trigger_key, alert.details.count])).toEqual([['surge:2022-03-29', 5]]);
    });

    it('never fires when the baseline average is under minBaseline', async () => {
      expect(await alertsOf(baselineTooSmall.id)).toEqual([]);
    });
  });

  describe('surge of a CAMEO root', () => {
    it('counts only developments coded under the roots it names', async () => {
      const arrests = await rule({ name: 'arrests', kind: 'surge', match: { cameoRoots: ['17'], parties: ['GEO'] }, increase: 1.0, minBaseline: 1 });
      // Four arrests in the 28 days before the window: one a week. Protests in the window count for nothing.
      for (const day of ['2022-05-02', '2022-05-09', '2022-05-16', '2022-05-23']) await append(`development-geo-${day}`, coded(day, 'GEO', ['RUS'], '173'));
      for (const day of ['2022-06-01', '2022-06-02', '2022-06-03']) await append(`development-geo-protest-${day}`, coded(day, 'GEO', ['RUS'], '141'));
      expect(await alertsOf(arrests.id)).toEqual([]);
      await append('development-geo-a', coded('2022-06-02', 'GEO', ['RUS'], '1711'));
      const [second] = await append('development-geo-b', coded('2022-06-03', 'GEO', ['RUS'], '173'));
      const alerts = await alertsOf(arrests.id);
      expect(alerts.map((alert) => [alert.trigger_key, alert.details.count, alert.details.baselineCount])).toEqual([['surge:2022-06-03', 2, 4]]);
      expect(alerts[0]!.event_ids).toEqual([second!.eventId]);
    });
  });

  describe('unanswered-demand', () => {
    const demand = (id: string, addressedTo: string[]) =>
      development('DemandIssued', '2022-01-01', { demandId: id, by: 'RUS', addressedTo, issue: 'security-guarantees', summary: `demand ${id}`, terms: [] });
    const answer = (type: 'DemandRejected' | 'DemandAccepted', id: string, by: string, at: string, addressedTo: string[]) =>
      development(type, at, { demandId: id, by, issuer: 'RUS', addressedTo, issue: 'security-guarantees' });
    let overdue: AlertRuleView;

    beforeAll(async () => {
      // Deadlines: 1 January + 7 days = 8 January, 00:00 UTC. The clock says 7 January, noon.
      now = new Date('2022-01-07T12:00:00Z');
      overdue = await rule({ name: 'demands open a week', kind: 'unanswered-demand', match: { parties: ['RUS'] }, afterDays: 7 });
      await append('demand-partly', demand('partly', ['NATO', 'USA']), answer('DemandRejected', 'partly', 'NATO', '2022-01-05', ['NATO', 'USA']));
      await append('demand-just-in-time', demand('just-in-time', ['NATO']), answer('DemandRejected', 'just-in-time', 'NATO', '2022-01-07T23:59:59Z', ['NATO']));
      await append('demand-late', demand('late', ['NATO']), answer('DemandAccepted', 'late', 'NATO', '2022-01-09', ['NATO']));
      await append('demand-withdrawn', demand('withdrawn', ['NATO']), development('DemandWithdrawn', '2022-01-03', {
        demandId: 'withdrawn', by: 'RUS', addressedTo: ['NATO'], issue: 'security-guarantees',
      }));
    });

    it('raises nothing before the deadline', async () => {
      expect(await sweepUnansweredDemands(harness.pool, now)).toBe(0);
      expect(await alertsOf(overdue.id)).toEqual([]);
    });

    it('fires when the clock passes the deadline, without any new event, for demands open at their deadline', async () => {
      now = new Date('2022-01-08T00:00:01Z');
      expect(await sweepUnansweredDemands(harness.pool, now)).toBe(2);
      const alerts = await alertsOf(overdue.id);
      expect(alerts.map((alert) => [alert.trigger_key, alert.details.unansweredBy])).toEqual([
        // Answered after the deadline: it was still open at it.
        ['demand:late', ['NATO']],
        ['demand:partly', ['USA']],
      ]);
      expect(alerts[1]).toMatchObject({
        occurred_at: '2022-01-08T00:00:00.000Z', parties: ['RUS', 'NATO', 'USA'],
        details: { demandId: 'partly', issuedAt: '2022-01-01', afterDays: 7, deadline: '2022-01-08T00:00:00.000Z' },
      });
      expect(alerts[1]!.summary).toBe('RUS\'s demand "demand partly" was still unanswered by USA 7 days after it was issued (2022-01-01)');
      // The next pass finds them alerted.
      expect(await sweepUnansweredDemands(harness.pool, now)).toBe(0);
    });

    it('fires as soon as a demand already past its deadline is recorded', async () => {
      await append('demand-recorded-late', demand('recorded-late', ['USA']));
      expect((await alertsOf(overdue.id)).map((alert) => alert.trigger_key)).toContain('demand:recorded-late');
    });
  });
});
