import { describe, expect, it } from '@jest/globals';
import { isRejection, reject } from './rejection.js';

describe('isRejection', () => {
  it('tells a rejection from the events of a decision', () => {
    expect(isRejection(reject('NOT_FOUND', 'demand d1 does not exist'))).toBe(true);
    expect(isRejection([])).toBe(false);
    expect(isRejection([{ type: 'DemandIssued', data: {} }])).toBe(false);
  });

  it('does not take an arbitrary object with a rejection field for one', () => {
    expect(isRejection({ rejection: 'NOT_A_CODE', message: 'x' })).toBe(false);
    expect(isRejection({ rejection: 'NOT_FOUND' })).toBe(false);
    expect(isRejection(null)).toBe(false);
  });

  it('leaves the path out when there is none, so a rejection serializes as it compares', () => {
    expect(Object.keys(reject('ALREADY_EXISTS', 'taken'))).toEqual(['rejection', 'message']);
  });
});
