import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { development, type ProjectionHarness, startProjectionHarness } from '#testing';
import { demandsProjection } from './demands.projection.js';

const issue = 'ukraine-nato-membership';

function issued(demandId: string, addressedTo: string[], occurredAt = '2022-01-10') {
  return development('DemandIssued', occurredAt, { demandId, by: 'RUS', addressedTo, issue, summary: `demand ${demandId}`, terms: ['no NATO membership for Ukraine'] });
}

function answered(type: 'DemandRejected' | 'DemandAccepted', demandId: string, by: string, addressedTo: string[], occurredAt = '2022-01-12') {
  return development(type, occurredAt, { demandId, by, issuer: 'RUS', addressedTo, issue, reason: `${by} says so` });
}

function retraction(eventId: string, retractedEventType: 'DemandIssued' | 'DemandRejected' | 'DemandAccepted' | 'DemandWithdrawn') {
  return development('EventRetracted', '2022-01-20T10:00:00Z', { retractedEventId: eventId, retractedEventType, retractedParties: ['RUS'], reason: 'misreported' });
}

describe('demands projection', () => {
  let harness: ProjectionHarness;
  beforeAll(async () => {
    harness = await startProjectionHarness({ projections: [demandsProjection] });
  });
  afterAll(() => harness.stop());

  async function demand(id: string) {
    const { rows } = await harness.pool.query('SELECT id, by, addressed_to, issue, summary, terms, status, issued_at FROM demands WHERE id = $1', [id]);
    return rows[0];
  }

  async function responses(id: string) {
    const { rows } = await harness.pool.query('SELECT party, response, at FROM demand_responses WHERE demand_id = $1 ORDER BY party', [id]);
    return rows;
  }

  it('sets the status from every addressee\'s answer: open, answered (mixed), accepted, rejected, withdrawn', async () => {
    const both = ['NATO', 'USA'];
    await harness.append('demand-open', [issued('open', both), answered('DemandRejected', 'open', 'NATO', both)]);
    await harness.append('demand-mixed', [issued('mixed', both), answered('DemandRejected', 'mixed', 'NATO', both), answered('DemandAccepted', 'mixed', 'USA', both)]);
    await harness.append('demand-yes', [issued('yes', both), answered('DemandAccepted', 'yes', 'NATO', both), answered('DemandAccepted', 'yes', 'USA', both)]);
    await harness.append('demand-no', [issued('no', both), answered('DemandRejected', 'no', 'NATO', both), answered('DemandRejected', 'no', 'USA', both)]);
    await harness.append('demand-gone', [issued('gone', both), answered('DemandAccepted', 'gone', 'NATO', both),
      development('DemandWithdrawn', '2022-01-13', { demandId: 'gone', by: 'RUS', addressedTo: both, issue, reason: 'talks moved on' })]);
    await harness.caughtUp();

    expect(await demand('open')).toEqual({
      id: 'open', by: 'RUS', addressed_to: both, issue, summary: 'demand open', terms: ['no NATO membership for Ukraine'], status: 'open', issued_at: '2022-01-10',
    });
    expect(await responses('open')).toEqual([{ party: 'NATO', response: 'rejected', at: '2022-01-12' }]);
    expect((await demand('mixed')).status).toBe('answered');
    expect(await responses('mixed')).toEqual([{ party: 'NATO', response: 'rejected', at: '2022-01-12' }, { party: 'USA', response: 'accepted', at: '2022-01-12' }]);
    expect((await demand('yes')).status).toBe('accepted');
    expect((await demand('no')).status).toBe('rejected');
    expect((await demand('gone')).status).toBe('withdrawn');
    expect(await responses('gone')).toEqual([{ party: 'NATO', response: 'accepted', at: '2022-01-12' }]);
  });

  it('a retracted issuance removes the demand and its answers; its history keeps the events, flagged', async () => {
    const [issuance] = await harness.append('demand-false', [issued('false', ['NATO']), answered('DemandRejected', 'false', 'NATO', ['NATO'])]);
    await harness.append('demand-false', [retraction(issuance!.eventId, 'DemandIssued')]);
    await harness.caughtUp();

    expect(await demand('false')).toBeUndefined();
    expect(await responses('false')).toEqual([]);
    const { rows } = await harness.pool.query('SELECT type, by, reason, retracted FROM demand_history WHERE demand_id = $1 ORDER BY stream_version', ['false']);
    expect(rows).toEqual([
      { type: 'DemandIssued', by: 'RUS', reason: null, retracted: true },
      { type: 'DemandRejected', by: 'NATO', reason: 'NATO says so', retracted: false },
      { type: 'EventRetracted', by: null, reason: 'misreported', retracted: false },
    ]);
  });

  it('a retracted answer removes that response and the status follows; the addressee may answer again', async () => {
    const both = ['NATO', 'USA'];
    const [, , usaAccepts] = await harness.append('demand-re', [issued('re', both), answered('DemandRejected', 're', 'NATO', both), answered('DemandAccepted', 're', 'USA', both)]);
    await harness.caughtUp();
    expect((await demand('re')).status).toBe('answered');

    await harness.append('demand-re', [retraction(usaAccepts!.eventId, 'DemandAccepted')]);
    await harness.caughtUp();
    expect((await demand('re')).status).toBe('open');
    expect(await responses('re')).toEqual([{ party: 'NATO', response: 'rejected', at: '2022-01-12' }]);

    await harness.append('demand-re', [answered('DemandRejected', 're', 'USA', both, '2022-01-21')]);
    await harness.caughtUp();
    expect((await demand('re')).status).toBe('rejected');
    expect(await responses('re')).toEqual([{ party: 'NATO', response: 'rejected', at: '2022-01-12' }, { party: 'USA', response: 'rejected', at: '2022-01-21' }]);
  });

  it('an answer, its retraction and a new answer in one batch land as if applied one by one', async () => {
    const [, usaAccepts] = await harness.append('demand-batch', [issued('batch', ['USA']), answered('DemandAccepted', 'batch', 'USA', ['USA'])]);
    // Not caught up in between: the retraction and the new answer travel with the issuance where the broker allows.
    await harness.append('demand-batch', [retraction(usaAccepts!.eventId, 'DemandAccepted'), answered('DemandRejected', 'batch', 'USA', ['USA'], '2022-01-22')]);
    await harness.caughtUp();
    expect((await demand('batch')).status).toBe('rejected');
    expect(await responses('batch')).toEqual([{ party: 'USA', response: 'rejected', at: '2022-01-22' }]);
  });

  it("an addressee's latest answer by valid time counts, whatever order the answers were recorded in", async () => {
    const [, rejected] = await harness.append('demand-turn', [issued('turn', ['NATO']), answered('DemandRejected', 'turn', 'NATO', ['NATO'], '2022-01-12')]);
    const [accepted] = await harness.append('demand-turn', [
      development('DemandAccepted', '2022-02-01', { demandId: 'turn', by: 'NATO', issuer: 'RUS', addressedTo: ['NATO'], issue, supersedes: { eventId: rejected!.eventId, answer: 'rejected' } }),
    ]);
    await harness.caughtUp();
    expect((await demand('turn')).status).toBe('accepted');
    expect(await responses('turn')).toEqual([{ party: 'NATO', response: 'accepted', at: '2022-02-01' }]);

    // A report of an earlier rejection, found late: recorded last, it is not the latest.
    await harness.append('demand-turn', [answered('DemandRejected', 'turn', 'NATO', ['NATO'], '2022-01-05')]);
    await harness.caughtUp();
    expect((await demand('turn')).status).toBe('accepted');

    await harness.append('demand-turn', [retraction(accepted!.eventId, 'DemandAccepted')]);
    await harness.caughtUp();
    expect((await demand('turn')).status).toBe('rejected');
    expect(await responses('turn')).toEqual([{ party: 'NATO', response: 'rejected', at: '2022-01-12' }]);
    const { rows } = await harness.pool.query('SELECT type, occurred_at, retracted FROM demand_history WHERE demand_id = $1 ORDER BY stream_version', ['turn']);
    expect(rows.map((row) => [row.type, row.occurred_at, row.retracted])).toEqual([
      ['DemandIssued', '2022-01-10', false], ['DemandRejected', '2022-01-12', false], ['DemandAccepted', '2022-02-01', true],
      ['DemandRejected', '2022-01-05', false], ['EventRetracted', '2022-01-20T10:00:00Z', false],
    ]);
  });

  it('answers of one valid time count in journal order, in one batch as in several', async () => {
    await harness.append('demand-tie', [issued('tie', ['USA']), answered('DemandRejected', 'tie', 'USA', ['USA']), answered('DemandAccepted', 'tie', 'USA', ['USA'])]);
    await harness.append('demand-tie-apart', [issued('tie-apart', ['USA']), answered('DemandAccepted', 'tie-apart', 'USA', ['USA'])]);
    await harness.caughtUp();
    await harness.append('demand-tie-apart', [answered('DemandRejected', 'tie-apart', 'USA', ['USA'])]);
    await harness.caughtUp();
    expect(await responses('tie')).toEqual([{ party: 'USA', response: 'accepted', at: '2022-01-12' }]);
    expect(await responses('tie-apart')).toEqual([{ party: 'USA', response: 'rejected', at: '2022-01-12' }]);
  });

  it('a retracted withdrawal reopens the demand with its answers', async () => {
    const both = ['NATO', 'USA'];
    const [, , withdrawal] = await harness.append('demand-back', [issued('back', both), answered('DemandAccepted', 'back', 'USA', both),
      development('DemandWithdrawn', '2022-01-13', { demandId: 'back', by: 'RUS', addressedTo: both, issue })]);
    await harness.caughtUp();
    expect((await demand('back')).status).toBe('withdrawn');

    await harness.append('demand-back', [retraction(withdrawal!.eventId, 'DemandWithdrawn')]);
    await harness.caughtUp();
    expect((await demand('back')).status).toBe('open');
    expect(await responses('back')).toEqual([{ party: 'USA', response: 'accepted', at: '2022-01-12' }]);
  });

  it('replaying the topic from the start leaves the same tables', async () => {
    const snapshot = async () => ({
      demands: (await harness.pool.query('SELECT * FROM demands ORDER BY id')).rows,
      responses: (await harness.pool.query('SELECT * FROM demand_responses ORDER BY demand_id, party')).rows,
      history: (await harness.pool.query('SELECT * FROM demand_history ORDER BY demand_id, stream_version')).rows,
    });
    const before = await snapshot();
    await harness.pool.query('DELETE FROM projection_checkpoints');
    await harness.restartRunners();
    await harness.append('demand-open', [answered('DemandAccepted', 'open', 'USA', ['NATO', 'USA'])]);
    await harness.caughtUp();
    const after = await snapshot();
    expect(after.demands.find((row) => row.id === 'open').status).toBe('answered');
    expect(after.demands.filter((row) => row.id !== 'open')).toEqual(before.demands.filter((row) => row.id !== 'open'));
    expect(after.history).toHaveLength(before.history.length + 1);
  });
});
