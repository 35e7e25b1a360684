import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { development, type ProjectionHarness, startProjectionHarness } from '#testing';
import { proposalsProjection } from './proposals.projection.js';

const issue = 'arms-control';

function made(proposalId: string, to: string[]) {
  return development('ProposalMade', '2022-01-10', { proposalId, by: 'USA', to, issue, summary: `proposal ${proposalId}` });
}

function answered(type: 'ProposalDeclined' | 'ProposalAccepted', proposalId: string, by: string, to: string[], occurredAt = '2022-01-12') {
  return development(type, occurredAt, { proposalId, by, proposer: 'USA', to, issue });
}

function retraction(eventId: string, retractedEventType: 'ProposalMade' | 'ProposalDeclined' | 'ProposalAccepted') {
  return development('EventRetracted', '2022-01-20T10:00:00Z', { retractedEventId: eventId, retractedEventType, retractedParties: ['USA'], reason: 'misreported' });
}

describe('proposals projection', () => {
  let harness: ProjectionHarness;
  beforeAll(async () => {
    harness = await startProjectionHarness({ projections: [proposalsProjection] });
  });
  afterAll(() => harness.stop());

  async function proposal(id: string) {
    const { rows } = await harness.pool.query('SELECT id, by, addressees, issue, summary, status, occurred_at FROM proposals WHERE id = $1', [id]);
    return rows[0];
  }

  async function responses(id: string) {
    const { rows } = await harness.pool.query('SELECT party, response, at FROM proposal_responses WHERE proposal_id = $1 ORDER BY party', [id]);
    return rows;
  }

  it('is open until every addressee answers; then accepted only if all accepted, otherwise declined', async () => {
    const both = ['RUS', 'BLR'];
    await harness.append('proposal-waiting', [made('waiting', both), answered('ProposalDeclined', 'waiting', 'RUS', both)]);
    await harness.append('proposal-yes', [made('yes', both), answered('ProposalAccepted', 'yes', 'RUS', both), answered('ProposalAccepted', 'yes', 'BLR', both)]);
    await harness.append('proposal-no', [made('no', both), answered('ProposalDeclined', 'no', 'RUS', both), answered('ProposalDeclined', 'no', 'BLR', both)]);
    await harness.append('proposal-split', [made('split', both), answered('ProposalAccepted', 'split', 'RUS', both), answered('ProposalDeclined', 'split', 'BLR', both)]);
    await harness.caughtUp();

    expect(await proposal('waiting')).toEqual({ id: 'waiting', by: 'USA', addressees: both, issue, summary: 'proposal waiting', status: 'open', occurred_at: '2022-01-10' });
    expect(await responses('waiting')).toEqual([{ party: 'RUS', response: 'declined', at: '2022-01-12' }]);
    expect((await proposal('yes')).status).toBe('accepted');
    expect((await proposal('no')).status).toBe('declined');
    expect((await proposal('split')).status).toBe('declined');
    expect(await responses('split')).toEqual([{ party: 'BLR', response: 'declined', at: '2022-01-12' }, { party: 'RUS', response: 'accepted', at: '2022-01-12' }]);
  });

  it('a retracted answer reopens the proposal; a retracted proposal disappears with its answers', async () => {
    const [, acceptance] = await harness.append('proposal-talks', [made('talks', ['RUS']), answered('ProposalAccepted', 'talks', 'RUS', ['RUS'])]);
    const [proposed] = await harness.append('proposal-hoax', [made('hoax', ['RUS']), answered('ProposalDeclined', 'hoax', 'RUS', ['RUS'])]);
    await harness.caughtUp();
    expect((await proposal('talks')).status).toBe('accepted');

    await harness.append('proposal-talks', [retraction(acceptance!.eventId, 'ProposalAccepted')]);
    await harness.append('proposal-hoax', [retraction(proposed!.eventId, 'ProposalMade')]);
    await harness.caughtUp();
    expect((await proposal('talks')).status).toBe('open');
    expect(await responses('talks')).toEqual([]);
    expect(await proposal('hoax')).toBeUndefined();
    expect(await responses('hoax')).toEqual([]);
  });

  it('follows a decliner that later accepts; an answer dated before the standing one does not count', async () => {
    await harness.append('proposal-turn', [made('turn', ['RUS']), answered('ProposalDeclined', 'turn', 'RUS', ['RUS'], '2022-01-12')]);
    await harness.caughtUp();
    expect((await proposal('turn')).status).toBe('declined');
    await harness.append('proposal-turn', [answered('ProposalAccepted', 'turn', 'RUS', ['RUS'], '2022-01-20'), answered('ProposalDeclined', 'turn', 'RUS', ['RUS'], '2022-01-11')]);
    await harness.caughtUp();
    expect((await proposal('turn')).status).toBe('accepted');
    expect(await responses('turn')).toEqual([{ party: 'RUS', response: 'accepted', at: '2022-01-20' }]);
  });
});
