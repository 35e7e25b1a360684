import { describe, expect, it } from '@jest/globals';
import { type Demand, unansweredLongest } from './demand-waits.js';

const demand = (id: string, issuedAt: string, addressedTo: string[], responses: Demand['responses'] = [], status: Demand['status'] = 'open'): Demand =>
  ({ id, by: 'RUS', addressedTo, issue: 'ukraine-nato-membership', summary: id, status, issuedAt, responses });

describe('the demands unanswered longest', () => {
  const now = new Date('2022-01-17T12:00:00Z');

  it('lists open demands by how long they have waited, with the addressees still silent', () => {
    const waits = unansweredLongest([
      demand('late', '2022-01-10', ['NATO']),
      demand('guarantee', '2021-12-17', ['NATO', 'USA'], [{ party: 'NATO', response: 'rejected', at: '2022-01-12' }]),
    ], now);
    expect(waits.map((wait) => [wait.demand.id, wait.waitingOn, wait.days])).toEqual([
      ['guarantee', ['USA'], 31],
      ['late', ['NATO'], 7],
    ]);
  });

  it('leaves out what no one owes an answer to: withdrawn, settled, or answered by every addressee', () => {
    expect(unansweredLongest([
      demand('withdrawn', '2021-12-17', ['NATO'], [], 'withdrawn'),
      demand('rejected', '2021-12-17', ['NATO'], [{ party: 'NATO', response: 'rejected', at: '2022-01-12' }], 'rejected'),
    ], now)).toEqual([]);
  });

  it('orders demands of the same day by id, so the list does not shuffle between reads', () => {
    const waits = unansweredLongest([demand('b', '2021-12-17', ['USA']), demand('a', '2021-12-17', ['USA'])], now);
    expect(waits.map((wait) => wait.demand.id)).toEqual(['a', 'b']);
  });
});
