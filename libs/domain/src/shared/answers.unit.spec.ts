import { describe, expect, it } from '@jest/globals';
import { type Answer, decideAnswer, isLaterAnswer, latestAnswers, withAnswer, withoutAnswer } from './answers.js';

const answer = (party: string, response: 'rejected' | 'accepted', occurredAt: string, streamVersion: number): Answer<'rejected' | 'accepted'> =>
  ({ party, response, occurredAt, streamVersion, eventId: `demand-d1/${streamVersion}` });

describe('the answer rule', () => {
  it('takes the latest answer by valid time, whatever order they were recorded in', () => {
    const answers = [answer('NATO', 'rejected', '2022-01-12', 2), answer('NATO', 'accepted', '2022-01-05', 3), answer('USA', 'accepted', '2022-01-13', 4)];
    expect(latestAnswers(answers)).toEqual(new Map([['NATO', answers[0]], ['USA', answers[2]]]));
  });

  it('breaks a tie of valid time by journal order', () => {
    const answers = [answer('NATO', 'accepted', '2022-01-12', 3), answer('NATO', 'rejected', '2022-01-12', 2)];
    expect(latestAnswers(answers).get('NATO')?.response).toBe('accepted');
  });

  it('reads a date as its midnight UTC and a timestamp at its offset', () => {
    const midnight = { occurredAt: '2022-01-12', streamVersion: 2 };
    expect(isLaterAnswer({ occurredAt: '2022-01-12T00:30:00+01:00', streamVersion: 3 }, midnight)).toBe(false);
    expect(isLaterAnswer({ occurredAt: '2022-01-11T23:30:00-01:00', streamVersion: 3 }, midnight)).toBe(true);
    expect(isLaterAnswer({ occurredAt: '2022-01-12T00:00:00Z', streamVersion: 1 }, midnight)).toBe(false);
  });

  it('forgets a retracted answer, and nothing else', () => {
    const answers = withAnswer(withAnswer([], answer('NATO', 'rejected', '2022-01-10', 2)), answer('NATO', 'accepted', '2022-01-11', 3));
    expect(withoutAnswer(answers, 'demand-d1/3')).toEqual([answers[0]]);
    expect(withoutAnswer(answers, 'demand-d1/1')).toBe(answers);
  });
});

describe('deciding an answer', () => {
  const request = { subject: 'demand d1', addressees: ['NATO', 'USA'], alreadyAnswered: 'DEMAND_ALREADY_ANSWERED' as const };

  it('takes a first answer as superseding nothing', () => {
    expect(decideAnswer({ ...request, answers: [], by: 'NATO', response: 'rejected', occurredAt: '2022-01-12' })).toEqual({});
  });

  it('refuses a party the question was not put to', () => {
    expect(decideAnswer({ ...request, answers: [], by: 'UKR', response: 'rejected', occurredAt: '2022-01-12' }))
      .toEqual({ rejection: 'NOT_AN_ADDRESSEE', message: 'UKR is not an addressee of demand d1', path: 'by' });
  });

  it("refuses a repeat of the party's standing answer, naming it", () => {
    const answers = [answer('NATO', 'rejected', '2022-01-12', 2)];
    expect(decideAnswer({ ...request, answers, by: 'NATO', response: 'rejected', occurredAt: '2022-01-20' })).toEqual({
      rejection: 'DEMAND_ALREADY_ANSWERED', message: "NATO's answer to demand d1 standing at 2022-01-20 is already rejected (event demand-d1/2)", path: 'by',
    });
  });

  it('takes the same answer found dated before the standing one, when no answer stood then', () => {
    const answers = [answer('NATO', 'rejected', '2022-01-12', 2)];
    expect(decideAnswer({ ...request, answers, by: 'NATO', response: 'rejected', occurredAt: '2022-01-05' })).toEqual({});
  });

  it('judges a repeat by the answer standing at the new answer\'s own valid time', () => {
    const answers = [answer('NATO', 'rejected', '2022-01-12', 2), answer('NATO', 'accepted', '2022-01-05', 3)];
    expect(decideAnswer({ ...request, answers, by: 'NATO', response: 'accepted', occurredAt: '2022-01-06' }))
      .toMatchObject({ rejection: 'DEMAND_ALREADY_ANSWERED', message: expect.stringContaining('demand-d1/3') });
    expect(decideAnswer({ ...request, answers, by: 'NATO', response: 'rejected', occurredAt: '2022-01-06' })).toEqual({});
  });

  it('supersedes the standing answer with a later one, and nothing with an earlier one', () => {
    const answers = [answer('NATO', 'rejected', '2022-01-12', 2), answer('USA', 'accepted', '2022-01-14', 3)];
    expect(decideAnswer({ ...request, answers, by: 'NATO', response: 'accepted', occurredAt: '2022-01-12' }))
      .toEqual({ supersedes: { eventId: 'demand-d1/2', answer: 'rejected' } });
    expect(decideAnswer({ ...request, answers, by: 'NATO', response: 'accepted', occurredAt: '2022-01-11T23:59:59Z' })).toEqual({});
  });
});
