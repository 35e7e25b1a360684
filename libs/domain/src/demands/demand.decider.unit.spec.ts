import { describe, expect, it } from '@jest/globals';
import { given, retraction, reuters, scenarioContext } from '../scenario.js';
import { type AcceptDemand, type IssueDemand, type RejectDemand, type WithdrawDemand } from './demand.commands.js';
import { demandDecider } from './demand.decider.js';
import { type DemandAccepted, type DemandIssued, type DemandRejected, type DemandWithdrawn } from './demand.events.js';

const stream = 'demand-security-guarantees';
const provenance = { occurredAt: '2022-01-12', sources: [reuters] };

const issueDemand = (data: Partial<IssueDemand['data']> = {}): IssueDemand => ({
  type: 'IssueDemand',
  data: {
    demandId: 'security-guarantees',
    by: 'RUS',
    addressedTo: ['USA', 'NATO'],
    issue: 'ukraine-nato-membership',
    summary: 'Legal guarantees that NATO will not admit Ukraine',
    terms: ['no NATO membership for Ukraine', 'no military bases in former Soviet states'],
    occurredAt: '2021-12-17',
    sources: [reuters],
    ...data,
  },
});
const reject = (by: string, data: Partial<RejectDemand['data']> = {}): RejectDemand => ({
  type: 'RejectDemand',
  data: { demandId: 'security-guarantees', by, ...provenance, ...data },
});
const accept = (by: string, data: Partial<AcceptDemand['data']> = {}): AcceptDemand => ({
  type: 'AcceptDemand',
  data: { demandId: 'security-guarantees', by, ...provenance, ...data },
});
const withdraw = (by: string, data: Partial<WithdrawDemand['data']> = {}): WithdrawDemand => ({
  type: 'WithdrawDemand',
  data: { demandId: 'security-guarantees', by, ...provenance, ...data },
});

const answerFacts = { demandId: 'security-guarantees', issuer: 'RUS', addressedTo: ['USA', 'NATO'], issue: 'ukraine-nato-membership' };
const issued: DemandIssued = {
  type: 'DemandIssued',
  schemaVersion: 1,
  occurredAt: '2021-12-17',
  sources: [reuters],
  data: {
    demandId: 'security-guarantees',
    by: 'RUS',
    addressedTo: ['USA', 'NATO'],
    issue: 'ukraine-nato-membership',
    summary: 'Legal guarantees that NATO will not admit Ukraine',
    terms: ['no NATO membership for Ukraine', 'no military bases in former Soviet states'],
  },
};
type AnswerDetails = { occurredAt?: string; supersedes?: DemandAccepted['data']['supersedes'] };
const rejectedBy = (by: string, { occurredAt = provenance.occurredAt, supersedes }: AnswerDetails = {}): DemandRejected => ({
  type: 'DemandRejected', schemaVersion: 2, ...provenance, occurredAt, data: { ...answerFacts, by, ...(supersedes ? { supersedes } : {}) },
});
const acceptedBy = (by: string, { occurredAt = provenance.occurredAt, supersedes }: AnswerDetails = {}): DemandAccepted => ({
  type: 'DemandAccepted', schemaVersion: 2, ...provenance, occurredAt, data: { ...answerFacts, by, ...(supersedes ? { supersedes } : {}) },
});
const withdrawn: DemandWithdrawn = {
  type: 'DemandWithdrawn',
  schemaVersion: 1,
  ...provenance,
  data: { demandId: 'security-guarantees', by: 'RUS', addressedTo: ['USA', 'NATO'], issue: 'ukraine-nato-membership' },
};

describe('demand decider', () => {
  describe('IssueDemand', () => {
    it('issues the demand with its provenance', () => {
      expect(given(demandDecider, stream).when(issueDemand({ confidence: 'reported' }))).toEqual([{ ...issued, confidence: 'reported' }]);
    });

    it('records a demand without terms as having none', () => {
      const [event] = given(demandDecider, stream).when(issueDemand({ terms: undefined })) as DemandIssued[];
      expect(event?.data.terms).toEqual([]);
    });

    it('refuses an id that is taken', () => {
      expect(given(demandDecider, stream, issued).when(issueDemand())).toMatchObject({ rejection: 'ALREADY_EXISTS' });
    });

    it('keeps the id taken after the demand was retracted', () => {
      const scenario = given(demandDecider, stream, issued, retraction(`${stream}/1`, 'DemandIssued', ['RUS', 'USA', 'NATO']));
      expect(scenario.when(issueDemand())).toMatchObject({ rejection: 'ALREADY_EXISTS' });
    });

    it('refuses an unregistered addressee, naming its position', () => {
      const context = scenarioContext({ knownParties: new Set(['RUS', 'USA']) });
      expect(given(demandDecider, stream).when(issueDemand(), context)).toMatchObject({ rejection: 'UNKNOWN_PARTY', path: 'addressedTo[1]' });
    });

    it('refuses an unregistered issuer', () => {
      const context = scenarioContext({ knownParties: new Set(['USA', 'NATO']) });
      expect(given(demandDecider, stream).when(issueDemand(), context)).toMatchObject({ rejection: 'UNKNOWN_PARTY', path: 'by' });
    });

    it('refuses an unregistered issue', () => {
      const context = scenarioContext({ knownIssues: new Set() });
      expect(given(demandDecider, stream).when(issueDemand(), context)).toMatchObject({ rejection: 'UNKNOWN_ISSUE', path: 'issue' });
    });

    it('refuses a demand a party addresses to itself', () => {
      expect(given(demandDecider, stream).when(issueDemand({ addressedTo: ['USA', 'RUS'] }))).toMatchObject({
        rejection: 'SELF_ADDRESSED',
        path: 'addressedTo[1]',
      });
    });

    it('refuses an addressee named twice', () => {
      expect(given(demandDecider, stream).when(issueDemand({ addressedTo: ['USA', 'NATO', 'USA'] }))).toMatchObject({
        rejection: 'DUPLICATE_REFERENCE',
        path: 'addressedTo[2]',
      });
    });

    it('takes a demand dated today, however late in the UTC day', () => {
      const lateToday = scenarioContext({ now: new Date('2022-01-12T23:59:59.999Z') });
      expect(given(demandDecider, stream).when(issueDemand({ occurredAt: '2022-01-12' }), lateToday)).toHaveLength(1);
    });

    it.each([
      ['a date after today', '2022-01-13'],
      ['a timestamp a second from now', '2022-01-12T15:00:01Z'],
      ['a timestamp whose offset puts it after now', '2022-01-12T17:00:01+02:00'],
    ])('refuses a demand dated in the future: %s', (_case, occurredAt) => {
      expect(given(demandDecider, stream).when(issueDemand({ occurredAt }))).toMatchObject({ rejection: 'OCCURRED_IN_FUTURE', path: 'occurredAt' });
    });
  });

  describe('answers', () => {
    it('records a rejection with the demand it answers', () => {
      const reason = 'every country chooses its own security arrangements';
      expect(given(demandDecider, stream, issued).when(reject('NATO', { reason }))).toEqual([
        { type: 'DemandRejected', schemaVersion: 2, ...provenance, data: { ...answerFacts, by: 'NATO', reason } },
      ]);
    });

    it('records an acceptance with the demand it answers', () => {
      expect(given(demandDecider, stream, issued).when(accept('USA'))).toEqual([acceptedBy('USA')]);
    });

    it('refuses an answer to a demand that does not exist', () => {
      expect(given(demandDecider, stream).when(reject('NATO'))).toMatchObject({ rejection: 'NOT_FOUND' });
    });

    it('refuses an answer to a retracted demand', () => {
      const scenario = given(demandDecider, stream, issued, retraction(`${stream}/1`, 'DemandIssued', ['RUS', 'USA', 'NATO']));
      expect(scenario.when(accept('USA'))).toMatchObject({ rejection: 'NOT_FOUND' });
    });

    it('refuses an answer from a party the demand was not addressed to', () => {
      expect(given(demandDecider, stream, issued).when(reject('UKR'))).toMatchObject({ rejection: 'NOT_AN_ADDRESSEE', path: 'by' });
    });

    it('refuses an answer from the issuer itself', () => {
      expect(given(demandDecider, stream, issued).when(accept('RUS'))).toMatchObject({ rejection: 'NOT_AN_ADDRESSEE' });
    });

    it('refuses an addressee repeating its standing answer: nothing new happened', () => {
      const scenario = given(demandDecider, stream, issued, rejectedBy('NATO'));
      expect(scenario.when(reject('NATO'))).toMatchObject({ rejection: 'DEMAND_ALREADY_ANSWERED', path: 'by' });
      expect(scenario.when(reject('NATO', { occurredAt: '2022-01-12T14:00:00Z' }))).toMatchObject({ rejection: 'DEMAND_ALREADY_ANSWERED' });
      expect(scenario.when(reject('USA'))).toEqual([rejectedBy('USA')]);
    });

    it('records an earlier report of the same answer, as of when nothing stood, but not a second one', () => {
      const scenario = given(demandDecider, stream, issued, rejectedBy('NATO'));
      expect(scenario.when(reject('NATO', { occurredAt: '2022-01-05' }))).toEqual([rejectedBy('NATO', { occurredAt: '2022-01-05' })]);
      const both = given(demandDecider, stream, issued, rejectedBy('NATO'), rejectedBy('NATO', { occurredAt: '2022-01-05' }));
      expect(both.when(reject('NATO', { occurredAt: '2022-01-06' }))).toMatchObject({ rejection: 'DEMAND_ALREADY_ANSWERED' });
    });

    it('lets an addressee that rejected yield later, naming the rejection it turns from', () => {
      const scenario = given(demandDecider, stream, issued, rejectedBy('NATO', { occurredAt: '2022-01-10' }));
      expect(scenario.when(accept('NATO'))).toEqual([acceptedBy('NATO', { supersedes: { eventId: `${stream}/2`, answer: 'rejected' } })]);
    });

    it('lets an addressee go back on an acceptance, each answer an event of its own', () => {
      const scenario = given(demandDecider, stream, issued, rejectedBy('NATO', { occurredAt: '2022-01-10' }),
        acceptedBy('NATO', { occurredAt: '2022-01-11', supersedes: { eventId: `${stream}/2`, answer: 'rejected' } }));
      expect(scenario.when(reject('NATO'))).toEqual([rejectedBy('NATO', { supersedes: { eventId: `${stream}/3`, answer: 'accepted' } })]);
      expect(scenario.when(accept('NATO'))).toMatchObject({ rejection: 'DEMAND_ALREADY_ANSWERED' });
    });

    it('counts a second answer of the same valid time as the later one: ties go by journal order', () => {
      const scenario = given(demandDecider, stream, issued, rejectedBy('NATO'));
      expect(scenario.when(accept('NATO'))).toEqual([acceptedBy('NATO', { supersedes: { eventId: `${stream}/2`, answer: 'rejected' } })]);
    });

    it('records an answer dated before the standing one, which supersedes nothing and does not become the latest', () => {
      const lateFound = given(demandDecider, stream, issued, rejectedBy('NATO', { occurredAt: '2022-01-12' }));
      expect(lateFound.when(accept('NATO', { occurredAt: '2022-01-05' }))).toEqual([acceptedBy('NATO', { occurredAt: '2022-01-05' })]);

      const recorded = given(demandDecider, stream, issued, rejectedBy('NATO', { occurredAt: '2022-01-12' }), acceptedBy('NATO', { occurredAt: '2022-01-05' }));
      // The rejection of the 12th still stands: repeating it is refused, turning from it is not; so is
      // the acceptance of the 5th for the days after it.
      expect(recorded.when(reject('NATO'))).toMatchObject({ rejection: 'DEMAND_ALREADY_ANSWERED' });
      expect(recorded.when(accept('NATO', { occurredAt: '2022-01-08' }))).toMatchObject({ rejection: 'DEMAND_ALREADY_ANSWERED' });
      expect(recorded.when(accept('NATO', { occurredAt: '2022-01-12T12:00:00+01:00' }))).toEqual([
        acceptedBy('NATO', { occurredAt: '2022-01-12T12:00:00+01:00', supersedes: { eventId: `${stream}/2`, answer: 'rejected' } }),
      ]);
    });

    it('falls back to the earlier answer when the latest is retracted', () => {
      const scenario = given(demandDecider, stream, issued, rejectedBy('NATO', { occurredAt: '2022-01-10' }),
        acceptedBy('NATO', { occurredAt: '2022-01-11', supersedes: { eventId: `${stream}/2`, answer: 'rejected' } }),
        retraction(`${stream}/3`, 'DemandAccepted', ['NATO', 'RUS']));
      expect(scenario.when(reject('NATO'))).toMatchObject({ rejection: 'DEMAND_ALREADY_ANSWERED' });
      expect(scenario.when(accept('NATO'))).toEqual([acceptedBy('NATO', { supersedes: { eventId: `${stream}/2`, answer: 'rejected' } })]);
    });

    it('lets an addressee answer again once its answer is retracted', () => {
      const scenario = given(demandDecider, stream, issued, rejectedBy('NATO'), retraction(`${stream}/2`, 'DemandRejected', ['NATO', 'RUS']));
      expect(scenario.when(accept('NATO'))).toEqual([acceptedBy('NATO')]);
    });

    it("keeps an addressee's answer when another event of the stream is retracted", () => {
      const scenario = given(
        demandDecider,
        stream,
        issued,
        rejectedBy('NATO'),
        acceptedBy('USA'),
        retraction(`${stream}/3`, 'DemandAccepted', ['USA', 'RUS']),
      );
      expect(scenario.when(reject('NATO'))).toMatchObject({ rejection: 'DEMAND_ALREADY_ANSWERED' });
    });

    it('refuses an answer to a withdrawn demand', () => {
      const scenario = given(demandDecider, stream, issued, withdrawn);
      expect(scenario.when(reject('NATO'))).toMatchObject({ rejection: 'DEMAND_WITHDRAWN' });
      expect(scenario.when(accept('USA'))).toMatchObject({ rejection: 'DEMAND_WITHDRAWN' });
    });

    it('refuses a changed answer once the demand is withdrawn', () => {
      expect(given(demandDecider, stream, issued, rejectedBy('NATO'), withdrawn).when(accept('NATO'))).toMatchObject({ rejection: 'DEMAND_WITHDRAWN' });
    });

    it('refuses an answer by an unregistered party', () => {
      const context = scenarioContext({ knownParties: new Set(['RUS', 'USA']) });
      expect(given(demandDecider, stream, issued).when(reject('NATO'), context)).toMatchObject({ rejection: 'UNKNOWN_PARTY', path: 'by' });
    });

    it('refuses an answer dated in the future', () => {
      expect(given(demandDecider, stream, issued).when(reject('NATO', { occurredAt: '2022-02-01' }))).toMatchObject({
        rejection: 'OCCURRED_IN_FUTURE',
      });
    });
  });

  describe('WithdrawDemand', () => {
    it('records the withdrawal with whom the demand addressed and its issue', () => {
      expect(given(demandDecider, stream, issued).when(withdraw('RUS'))).toEqual([withdrawn]);
    });

    it('refuses a withdrawal by anyone but the issuer', () => {
      expect(given(demandDecider, stream, issued).when(withdraw('NATO'))).toMatchObject({ rejection: 'NOT_THE_ISSUER', path: 'by' });
    });

    it('refuses to withdraw a demand twice', () => {
      expect(given(demandDecider, stream, issued, withdrawn).when(withdraw('RUS'))).toMatchObject({ rejection: 'DEMAND_WITHDRAWN' });
    });

    it('refuses to withdraw a demand that does not exist', () => {
      expect(given(demandDecider, stream).when(withdraw('RUS'))).toMatchObject({ rejection: 'NOT_FOUND' });
    });

    it('reopens the demand when the withdrawal is retracted', () => {
      const scenario = given(demandDecider, stream, issued, withdrawn, retraction(`${stream}/2`, 'DemandWithdrawn', ['RUS', 'USA', 'NATO']));
      expect(scenario.when(reject('NATO'))).toEqual([rejectedBy('NATO')]);
      expect(scenario.when(withdraw('RUS'))).toEqual([withdrawn]);
    });
  });
});
