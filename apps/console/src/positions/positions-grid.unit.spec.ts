import { describe, expect, it } from '@jest/globals';
import { attribution, positionsGrid, shiftDay } from './positions-grid.js';

const position = (issue: string, stance: string) => ({ issue, stance, summary: '', since: '2022-01-12', basedOn: 'e1', sources: [] });
const nato = { id: 'NATO', name: 'NATO', kind: 'organization' };
const russia = { id: 'RUS', name: 'Russia', kind: 'state' };
const stoltenberg = { id: 'jens-stoltenberg', name: 'Jens Stoltenberg', kind: 'person' };
const issues = [{ id: 'nato-open-door' }, { id: 'ukraine-nato-membership' }];

describe('the positions grid', () => {
  it('puts each stance under its issue, and nothing where a party has none', () => {
    const rows = positionsGrid([nato, russia], issues, [
      { party: 'NATO', asOf: '', knownAt: '', positions: [position('ukraine-nato-membership', 'rejects')] },
      { party: 'RUS', asOf: '', knownAt: '', positions: [position('nato-open-door', 'opposes'), position('ukraine-nato-membership', 'demands')] },
    ]);
    expect(rows.map((row) => [row.party.id, row.cells.map((cell) => cell?.stance ?? null)])).toEqual([
      ['NATO', [null, 'rejects']],
      ['RUS', ['opposes', 'demands']],
    ]);
  });

  it('keeps a state’s row without stances, so rows stay put as the pickers move; a person has one only while it holds a stance', () => {
    const silent = positionsGrid([nato, stoltenberg], issues, [
      { party: 'NATO', asOf: '', knownAt: '', positions: [] },
      { party: 'jens-stoltenberg', asOf: '', knownAt: '', positions: [] },
    ]);
    expect(silent.map((row) => row.party.id)).toEqual(['NATO']);
    const spoken = positionsGrid([nato, stoltenberg], issues, [
      { party: 'jens-stoltenberg', asOf: '', knownAt: '', positions: [position('nato-open-door', 'supports')] },
    ]);
    expect(spoken.map((row) => row.party.id)).toEqual(['NATO', 'jens-stoltenberg']);
  });
});

describe('a source’s attribution', () => {
  it('names the outlet and whom it quoted', () => {
    expect(attribution({ outlet: 'IRNA', via: 'Reuters', citation: 'IRNA quoting Reuters' })).toBe('IRNA, quoting Reuters');
    expect(attribution({ citation: 'Press release' })).toBe('Press release');
  });
});

describe('the day pickers', () => {
  it('step a UTC day, across months and years', () => {
    expect(shiftDay('2022-01-12', -1)).toBe('2022-01-11');
    expect(shiftDay('2022-01-01', -1)).toBe('2021-12-31');
    expect(shiftDay('2024-02-28', 1)).toBe('2024-02-29');
  });
});
