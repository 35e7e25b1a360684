import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { development, type ProjectionHarness, startProjectionHarness } from '#testing';
import { timelineProjection } from './timeline.projection.js';

describe('timeline projection', () => {
  let harness: ProjectionHarness;
  beforeAll(async () => {
    harness = await startProjectionHarness({ projections: [timelineProjection] });
  });
  afterAll(() => harness.stop());

  it('lists each development with its parties, issue, CAMEO code, and flags a retracted one', async () => {
    const [issued] = await harness.append('demand-d1', [
      development('DemandIssued', '2022-01-10', { demandId: 'd1', by: 'RUS', addressedTo: ['NATO', 'USA'], issue: 'ukraine-nato-membership', summary: 'no NATO membership for Ukraine', terms: [] }),
      development('DemandRejected', '2022-01-12', { demandId: 'd1', by: 'NATO', issuer: 'RUS', addressedTo: ['NATO', 'USA'], issue: 'ukraine-nato-membership' }),
    ]);
    const [statement] = await harness.append('party-USA', [
      development('PositionStated', '2022-01-11T09:30:00Z', { by: 'USA', issue: 'ukraine-nato-membership', stance: 'opposes', summary: 'no veto for Moscow' }),
    ]);
    await harness.append('party-USA', [
      development('EventRetracted', '2022-01-13', { retractedEventId: statement!.eventId, retractedEventType: 'PositionStated', retractedParties: ['USA'], reason: 'misquoted' }),
    ]);
    await harness.caughtUp();

    const { rows } = await harness.pool.query(
      'SELECT type, parties, issue, summary, cameo, goldstein, retracted FROM timeline ORDER BY occurred_ts DESC, global_position DESC');
    expect(rows).toEqual([
      { type: 'DemandRejected', parties: ['NATO', 'RUS'], issue: 'ukraine-nato-membership', summary: "NATO rejected RUS's demand",
        cameo: { code: '120', root: '12', quadClass: 3, goldstein: -4 }, goldstein: -4, retracted: false },
      { type: 'PositionStated', parties: ['USA'], issue: 'ukraine-nato-membership', summary: 'USA opposes: no veto for Moscow',
        cameo: { code: '010', root: '01', quadClass: 1, goldstein: 0 }, goldstein: 0, retracted: true },
      { type: 'DemandIssued', parties: ['RUS', 'NATO', 'USA'], issue: 'ukraine-nato-membership', summary: 'no NATO membership for Ukraine',
        cameo: { code: '100', root: '10', quadClass: 3, goldstein: -5 }, goldstein: -5, retracted: false },
    ]);
    expect(issued!.eventId).toBeDefined();
  });

  it('shows a coded development with its coding, a changed answer with what it turns from, and a retraction with its provenance', async () => {
    const [expulsion] = await harness.append('development-x1', [development('CodedDevelopmentRecorded', '2022-04-05', {
      developmentId: 'x1', by: 'FRA', to: ['RUS'], cameo: { code: '166', root: '16', quadClass: 4, goldstein: -7 }, summary: 'France expels 35 diplomats',
    })]);
    const [, rejection] = await harness.append('demand-d2', [
      development('DemandIssued', '2022-04-01', { demandId: 'd2', by: 'RUS', addressedTo: ['FRA'], issue: 'sanctions', summary: 'lift sanctions', terms: [] }),
      development('DemandRejected', '2022-04-02', { demandId: 'd2', by: 'FRA', issuer: 'RUS', addressedTo: ['FRA'], issue: 'sanctions' }),
    ]);
    await harness.append('demand-d2', [development('DemandAccepted', '2022-04-20', {
      demandId: 'd2', by: 'FRA', issuer: 'RUS', addressedTo: ['FRA'], issue: 'sanctions', reason: 'a deal', supersedes: { eventId: rejection!.eventId, answer: 'rejected' },
    })]);
    const source = { citation: 'Quai d\'Orsay statement', outlet: 'AFP' };
    const [correction] = await harness.append('development-x1', [{
      ...development('EventRetracted', '2022-04-06T08:00:00+02:00', {
        retractedEventId: expulsion!.eventId, retractedEventType: 'CodedDevelopmentRecorded', retractedParties: ['FRA', 'RUS'], reason: 'France denied it',
      }),
      sources: [source],
    }]);
    await harness.caughtUp();

    const { rows } = await harness.pool.query(
      `SELECT type, parties, summary, cameo, goldstein, retracted, retraction FROM timeline WHERE stream_id IN ('development-x1', 'demand-d2')
       ORDER BY occurred_ts DESC, global_position DESC`);
    expect(rows).toEqual([
      { type: 'DemandAccepted', parties: ['FRA', 'RUS'], summary: "FRA accepted RUS's demand, reversing its rejection: a deal",
        cameo: { code: '080', root: '08', quadClass: 2, goldstein: 5 }, goldstein: 5, retracted: false, retraction: null },
      { type: 'CodedDevelopmentRecorded', parties: ['FRA', 'RUS'], summary: 'France expels 35 diplomats',
        cameo: { code: '166', root: '16', quadClass: 4, goldstein: -7 }, goldstein: -7, retracted: true,
        retraction: { eventId: correction!.eventId, reason: 'France denied it', occurredAt: '2022-04-06T08:00:00+02:00', recordedAt: correction!.recordedAt, sources: [source] } },
      { type: 'DemandRejected', parties: ['FRA', 'RUS'], summary: "FRA rejected RUS's demand",
        cameo: { code: '120', root: '12', quadClass: 3, goldstein: -4 }, goldstein: -4, retracted: false, retraction: null },
      { type: 'DemandIssued', parties: ['RUS', 'FRA'], summary: 'lift sanctions',
        cameo: { code: '100', root: '10', quadClass: 3, goldstein: -5 }, goldstein: -5, retracted: false, retraction: null },
    ]);
  });

  it('applies a redelivered batch once: replaying the topic from the start changes nothing', async () => {
    const before = await harness.pool.query('SELECT event_id, retracted FROM timeline ORDER BY event_id');
    // Forget the checkpoints (as if the group were new): every event comes again, and is skipped by (stream, version).
    await harness.pool.query('DELETE FROM projection_checkpoints');
    await harness.restartRunners();
    await harness.append('demand-d2', [
      development('DemandIssued', '2022-01-12', { demandId: 'd2', by: 'RUS', addressedTo: ['NATO'], issue: 'nato-eastern-posture', summary: 'pull back to 1997 lines', terms: [] }),
    ]);
    await harness.caughtUp();
    const after = await harness.pool.query('SELECT event_id, retracted FROM timeline ORDER BY event_id');
    expect(after.rows).toHaveLength(before.rows.length + 1);
    expect(after.rows).toEqual(expect.arrayContaining(before.rows));
  });
});
