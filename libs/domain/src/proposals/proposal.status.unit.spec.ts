import { describe, expect, it } from '@jest/globals';
import { type ProposalResponse } from './proposal.events.js';
import { proposalStatus } from './proposal.status.js';

const latest = (answers: Record<string, ProposalResponse>) => new Map(Object.entries(answers));

describe("a proposal's status", () => {
  it.each([
    ['open while an addressee has not answered', { RUS: 'accepted' }, 'open'],
    ['accepted when every latest answer accepts', { RUS: 'accepted', USA: 'accepted' }, 'accepted'],
    ['declined when any latest answer declines', { RUS: 'accepted', USA: 'declined' }, 'declined'],
  ] as const)('%s', (_case, answers, status) => {
    expect(proposalStatus(['RUS', 'USA'], latest(answers))).toBe(status);
  });
});
