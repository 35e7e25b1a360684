import { describe, expect, it } from '@jest/globals';
import { apiQuery, filterOf, selects } from './timeline-filter.js';

const development = (change: Partial<Parameters<typeof selects>[1]> = {}) => ({
  eventId: 'e', type: 'PositionStated', streamId: 'party-NATO', version: 2, occurredAt: '2022-01-12', recordedAt: '2022-01-12T10:00:00Z',
  parties: ['NATO'], issue: 'nato-open-door', summary: 'Open door stays', ...change,
});

describe('the timeline’s filters', () => {
  it('come from the page’s address, empty ones left out', () => {
    expect(filterOf(new URLSearchParams('party=NATO&type=&from=2022-01-01'))).toEqual({ party: 'NATO', from: '2022-01-01' });
  });

  it('ask the API for whole days: `to` includes its day', () => {
    expect(apiQuery({ from: '2022-01-12', to: '2022-01-12' })).toEqual({ from: '2022-01-12', to: '2022-01-12T23:59:59.999Z' });
  });

  it('let a live development through only when the page as filtered would show it', () => {
    expect(selects({}, development())).toBe(true);
    expect(selects({ party: 'RUS' }, development())).toBe(false);
    expect(selects({ issue: 'ukraine-nato-membership' }, development())).toBe(false);
    expect(selects({ type: 'WarningGiven' }, development())).toBe(false);
    expect(selects({ from: '2022-01-13' }, development())).toBe(false);
    expect(selects({ to: '2022-01-11' }, development())).toBe(false);
    expect(selects({ from: '2022-01-12', to: '2022-01-12' }, development({ occurredAt: '2022-01-12T18:30:00Z' }))).toBe(true);
  });

  it('let a retraction through whatever the type filter: it strikes through a development on the page', () => {
    expect(selects({ type: 'WarningGiven' }, development({ type: 'EventRetracted' }))).toBe(true);
  });
});
