import { describe, expect, it } from '@jest/globals';
import { given, retraction, reuters, scenarioContext } from '../scenario.js';
import { type AcceptProposal, type DeclineProposal, type MakeProposal } from './proposal.commands.js';
import { proposalDecider } from './proposal.decider.js';
import { type ProposalAccepted, type ProposalDeclined, type ProposalMade } from './proposal.events.js';

const stream = 'proposal-missile-talks';
const provenance = { occurredAt: '2022-01-12', sources: [reuters] };

const propose = (data: Partial<MakeProposal['data']> = {}): MakeProposal => ({
  type: 'MakeProposal',
  data: {
    proposalId: 'missile-talks',
    by: 'NATO',
    to: ['RUS'],
    issue: 'nato-eastern-presence',
    summary: 'A series of meetings on limiting missiles in Europe',
    ...provenance,
    ...data,
  },
});
const decline = (by: string, data: Partial<DeclineProposal['data']> = {}): DeclineProposal => ({
  type: 'DeclineProposal',
  data: { proposalId: 'missile-talks', by, ...provenance, ...data },
});
const accept = (by: string, data: Partial<AcceptProposal['data']> = {}): AcceptProposal => ({
  type: 'AcceptProposal',
  data: { proposalId: 'missile-talks', by, ...provenance, ...data },
});

const made: ProposalMade = {
  type: 'ProposalMade',
  schemaVersion: 1,
  ...provenance,
  data: { proposalId: 'missile-talks', by: 'NATO', to: ['RUS'], issue: 'nato-eastern-presence', summary: 'A series of meetings on limiting missiles in Europe' },
};
const answerFacts = { proposalId: 'missile-talks', proposer: 'NATO', to: ['RUS'], issue: 'nato-eastern-presence' };
type AnswerDetails = { occurredAt?: string; supersedes?: ProposalAccepted['data']['supersedes'] };
const declinedBy = (by: string, { occurredAt = provenance.occurredAt, supersedes }: AnswerDetails = {}): ProposalDeclined => ({
  type: 'ProposalDeclined', schemaVersion: 2, ...provenance, occurredAt, data: { ...answerFacts, by, ...(supersedes ? { supersedes } : {}) },
});
const acceptedBy = (by: string, { occurredAt = provenance.occurredAt, supersedes }: AnswerDetails = {}): ProposalAccepted => ({
  type: 'ProposalAccepted', schemaVersion: 2, ...provenance, occurredAt, data: { ...answerFacts, by, ...(supersedes ? { supersedes } : {}) },
});

describe('proposal decider', () => {
  describe('MakeProposal', () => {
    it('records the proposal', () => {
      expect(given(proposalDecider, stream).when(propose())).toEqual([made]);
    });

    it('refuses an id that is taken', () => {
      expect(given(proposalDecider, stream, made).when(propose())).toMatchObject({ rejection: 'ALREADY_EXISTS' });
    });

    it('refuses a proposal a party makes to itself', () => {
      expect(given(proposalDecider, stream).when(propose({ to: ['NATO'] }))).toMatchObject({ rejection: 'SELF_ADDRESSED', path: 'to[0]' });
    });

    it('refuses an addressee named twice', () => {
      expect(given(proposalDecider, stream).when(propose({ to: ['RUS', 'USA', 'RUS'] }))).toMatchObject({
        rejection: 'DUPLICATE_REFERENCE',
        path: 'to[2]',
      });
    });

    it('refuses an unregistered addressee', () => {
      const context = scenarioContext({ knownParties: new Set(['NATO']) });
      expect(given(proposalDecider, stream).when(propose(), context)).toMatchObject({ rejection: 'UNKNOWN_PARTY', path: 'to[0]' });
    });

    it('refuses an unregistered issue', () => {
      const context = scenarioContext({ knownIssues: new Set() });
      expect(given(proposalDecider, stream).when(propose(), context)).toMatchObject({ rejection: 'UNKNOWN_ISSUE', path: 'issue' });
    });

    it('refuses a proposal dated in the future', () => {
      expect(given(proposalDecider, stream).when(propose({ occurredAt: '2023-01-01' }))).toMatchObject({ rejection: 'OCCURRED_IN_FUTURE' });
    });
  });

  describe('answers', () => {
    it('records a decline with the proposal it answers', () => {
      expect(given(proposalDecider, stream, made).when(decline('RUS', { reason: 'not ready' }))).toEqual([
        { ...declinedBy('RUS'), data: { ...answerFacts, by: 'RUS', reason: 'not ready' } },
      ]);
    });

    it('records an acceptance with the proposal it answers', () => {
      expect(given(proposalDecider, stream, made).when(accept('RUS'))).toEqual([acceptedBy('RUS')]);
    });

    it('records an answer to a proposal on no issue as on none', () => {
      const withoutIssue: ProposalMade = { ...made, data: { ...made.data, issue: undefined } };
      const [event] = given(proposalDecider, stream, JSON.parse(JSON.stringify(withoutIssue))).when(accept('RUS')) as ProposalAccepted[];
      expect(event?.data).not.toHaveProperty('issue');
    });

    it('refuses an answer to a proposal that does not exist', () => {
      expect(given(proposalDecider, stream).when(decline('RUS'))).toMatchObject({ rejection: 'NOT_FOUND' });
    });

    it('refuses an answer to a retracted proposal', () => {
      const scenario = given(proposalDecider, stream, made, retraction(`${stream}/1`, 'ProposalMade', ['NATO', 'RUS']));
      expect(scenario.when(decline('RUS'))).toMatchObject({ rejection: 'NOT_FOUND' });
    });

    it('refuses an answer from a party the proposal was not made to', () => {
      expect(given(proposalDecider, stream, made).when(accept('USA'))).toMatchObject({ rejection: 'NOT_AN_ADDRESSEE', path: 'by' });
    });

    it('refuses an addressee repeating its standing answer', () => {
      const scenario = given(proposalDecider, stream, made, declinedBy('RUS'));
      expect(scenario.when(decline('RUS'))).toMatchObject({ rejection: 'PROPOSAL_ALREADY_ANSWERED', path: 'by' });
    });

    it('lets a decliner accept later, and go back on it, each answer naming the one it turns from', () => {
      const declined = given(proposalDecider, stream, made, declinedBy('RUS', { occurredAt: '2022-01-10' }));
      expect(declined.when(accept('RUS'))).toEqual([acceptedBy('RUS', { supersedes: { eventId: `${stream}/2`, answer: 'declined' } })]);
      const accepted = given(proposalDecider, stream, made, declinedBy('RUS', { occurredAt: '2022-01-10' }),
        acceptedBy('RUS', { occurredAt: '2022-01-11', supersedes: { eventId: `${stream}/2`, answer: 'declined' } }));
      expect(accepted.when(decline('RUS'))).toEqual([declinedBy('RUS', { supersedes: { eventId: `${stream}/3`, answer: 'accepted' } })]);
      expect(accepted.when(accept('RUS'))).toMatchObject({ rejection: 'PROPOSAL_ALREADY_ANSWERED' });
    });

    it('records an answer dated before the standing one without letting it become the latest', () => {
      const scenario = given(proposalDecider, stream, made, acceptedBy('RUS'));
      expect(scenario.when(decline('RUS', { occurredAt: '2022-01-03' }))).toEqual([declinedBy('RUS', { occurredAt: '2022-01-03' })]);
      const recorded = given(proposalDecider, stream, made, acceptedBy('RUS'), declinedBy('RUS', { occurredAt: '2022-01-03' }));
      expect(recorded.when(accept('RUS'))).toMatchObject({ rejection: 'PROPOSAL_ALREADY_ANSWERED' });
    });

    it('lets an addressee answer again once its answer is retracted', () => {
      const scenario = given(proposalDecider, stream, made, declinedBy('RUS'), retraction(`${stream}/2`, 'ProposalDeclined', ['RUS', 'NATO']));
      expect(scenario.when(accept('RUS'))).toEqual([acceptedBy('RUS')]);
    });

    it('refuses an answer dated in the future', () => {
      expect(given(proposalDecider, stream, made).when(accept('RUS', { occurredAt: '2022-01-12T15:00:00.001Z' }))).toMatchObject({
        rejection: 'OCCURRED_IN_FUTURE',
      });
    });
  });
});
