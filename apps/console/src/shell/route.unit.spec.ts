import { describe, expect, it } from '@jest/globals';
import { linkTo, parseRoute } from './route.js';

describe('the console’s addresses', () => {
  it('name the page and its filters in the fragment, and round-trip', () => {
    const route = parseRoute(linkTo('timeline', { party: 'NATO', type: undefined, from: '2022-01-01' }));
    expect(route.page).toBe('timeline');
    expect(Object.fromEntries(route.params)).toEqual({ party: 'NATO', from: '2022-01-01' });
  });

  it('open the positions grid for an empty or unknown fragment', () => {
    expect(parseRoute('').page).toBe('positions');
    expect(parseRoute('#/nowhere?x=1').page).toBe('positions');
  });
});
