import { describe, expect, it } from '@jest/globals';
import { type DemandResponse } from './demand.events.js';
import { demandStatus } from './demand.status.js';

const latest = (answers: Record<string, DemandResponse>) => new Map(Object.entries(answers));
const addressees = ['NATO', 'USA'];

describe("a demand's status", () => {
  it.each([
    ['open while an addressee has not answered', {}, 'open'],
    ['open while one of two has answered', { NATO: 'rejected' }, 'open'],
    ['rejected when every latest answer rejects', { NATO: 'rejected', USA: 'rejected' }, 'rejected'],
    ['accepted when every latest answer accepts', { NATO: 'accepted', USA: 'accepted' }, 'accepted'],
    ['answered when the latest answers are mixed', { NATO: 'accepted', USA: 'rejected' }, 'answered'],
  ] as const)('%s', (_case, answers, status) => {
    expect(demandStatus(addressees, latest(answers), false)).toBe(status);
  });

  it('is withdrawn once withdrawn, whatever the answers', () => {
    expect(demandStatus(addressees, latest({ NATO: 'accepted', USA: 'accepted' }), true)).toBe('withdrawn');
  });

  it('ignores an answer from a party the demand was not addressed to', () => {
    expect(demandStatus(['NATO'], latest({ NATO: 'accepted', UKR: 'rejected' }), false)).toBe('accepted');
  });
});
