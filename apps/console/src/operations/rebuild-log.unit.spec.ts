import { describe, expect, it } from '@jest/globals';
import { ageWords, type Overview, rebuildable, statusChanges } from './rebuild-log.js';

const generation = (version: number, status: string, live: boolean, progress: Overview['progress'] = null): Overview => ({
  name: 'timeline', version, codeVersion: 2, status, live, lag: { events: 0, seconds: null, partitions: [] },
  lastEventAt: null, eventsApplied: 0, failures: 0, swapMs: live ? 12.5 : null, progress,
});

describe('the rebuild log', () => {
  it('tells of a new generation with its progress, its swap, and the old one retired', () => {
    const live = generation(2, 'live', true);
    const rebuilding = generation(3, 'rebuilding', false, { done: 1200, total: 3000, eventsPerSecond: 900, etaSeconds: 2 });
    expect(statusChanges([live], [live, rebuilding])).toEqual(['timeline generation 3: rebuilding, 1,200 of 3,000 events']);
    expect(statusChanges([live, rebuilding], [generation(3, 'live', true)])).toEqual([
      'timeline generation 3 is live (swapped in 12.5 ms)',
      'timeline generation 2 retired',
    ]);
  });

  it('says nothing when nothing moved', () => {
    expect(statusChanges([generation(2, 'live', true)], [generation(2, 'live', true)])).toEqual([]);
  });

  it('offers one rebuild per projection, off while one runs', () => {
    expect(rebuildable([generation(2, 'live', true), generation(3, 'rebuilding', false)])).toEqual([{ name: 'timeline', running: true }]);
    expect(rebuildable([generation(2, 'live', true)])).toEqual([{ name: 'timeline', running: false }]);
  });

  it('puts a lag’s age in words', () => {
    expect(ageWords(null)).toBe('—');
    expect(ageWords(4.25)).toBe('4.3 s');
    expect(ageWords(600)).toBe('10 min');
    expect(ageWords(7_200)).toBe('2 h');
  });
});
