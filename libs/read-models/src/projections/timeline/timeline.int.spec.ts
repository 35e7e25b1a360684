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
