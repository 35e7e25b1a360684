import { describe, expect, it } from '@jest/globals';
import { roundAsPostgres, tensionSeries } from './tension-series.js';

const day = (date: string, events: number, goldsteinSum: number) => ({ date, events, goldsteinSum, cooperation: 0, conflict: events });

describe('the tension line of a pair', () => {
  // The seed article's NATO–Russia days, and what GET /v1/relations/NATO/RUS answers for them.
  const seed = [day('2021-12-17', 2, -10), day('2022-01-12', 5, -11)];

  it('ends at the API’s own 7- and 30-day figures', () => {
    expect(tensionSeries(seed, 7)).toEqual([5, 2.2]);
    expect(tensionSeries(seed, 30)).toEqual([5, 3]);
  });

  it('counts the window’s N days ending on each day, the day N before it left out', () => {
    const days = [day('2022-01-01', 1, -10), day('2022-01-07', 1, 10), day('2022-01-08', 1, 4)];
    // On the 7th the window is 1–7 (both in); on the 8th it is 2–8 (the 1st is out).
    expect(tensionSeries(days, 7)).toEqual([10, 0, -7]);
  });

  it('weighs each development, not each day', () => {
    expect(tensionSeries([day('2022-01-01', 3, -3), day('2022-01-02', 1, 7)], 7)).toEqual([1, -1]);
  });

  it('rounds halves away from zero, as Postgres rounds a numeric', () => {
    expect(roundAsPostgres(-2.345)).toBe(-2.35);
    expect(roundAsPostgres(2.345)).toBe(2.35);
    expect(roundAsPostgres(1 / 3)).toBe(0.33);
  });

  it('has no point for a pair with no days', () => {
    expect(tensionSeries([], 7)).toEqual([]);
  });
});
