import { describe, expect, it } from '@jest/globals';
import { cameoEntries, cameoEntry, cameoEventCodes, cameoOfCode, cameoRoots, quadClassOfRoot } from './cameo.js';

/**
 * Every distinct (CAMEO code, Intensity) of the ICEWS sample `events.2018.sample.tab` (3,705 events
 * of 1–2 June 2018, ICEWS Coded Event Data, Harvard Dataverse doi:10.7910/DVN/28075, as the MIT-licensed
 * R package andybega/icews ships it): real coded data that a coded development must be able to hold.
 */
const icewsSample: ReadonlyArray<readonly [string, number]> = [
  ['010', 0], ['012', -0.4], ['013', 0.4], ['014', 0], ['015', 0], ['016', -5], ['017', 0], ['018', 3.4], ['019', 3.4],
  ['020', 3], ['021', 3.4], ['0214', 3.4], ['022', 3.4], ['0233', 3.4], ['0241', -0.3], ['0251', -0.3], ['0256', -0.3],
  ['026', 4], ['030', 4], ['031', 5.2], ['0311', 5.2], ['032', 4.5], ['033', 5.2], ['0331', 5.2], ['0332', 5.2],
  ['0333', 5.2], ['035', 7], ['0356', 7], ['036', 4], ['037', 5], ['040', 1], ['041', 1], ['042', 1.9], ['043', 2.8],
  ['044', 2.5], ['045', 5], ['046', 7], ['050', 3.5], ['051', 3.4], ['052', 3.5], ['053', 3.8], ['054', 6], ['055', 7],
  ['057', 8], ['060', 6], ['061', 6.4], ['064', 7], ['070', 7], ['071', 7.4], ['072', 8.3], ['073', 7.4], ['080', 5],
  ['081', 5], ['083', 5], ['0831', 5], ['0833', 5], ['0841', 7], ['0861', 9], ['0871', 9], ['0874', 10], ['090', -2],
  ['091', -2], ['100', -5], ['101', -5], ['102', -5], ['1044', -5], ['105', -5], ['1056', -5], ['111', -2], ['112', -2],
  ['1121', -2], ['1122', -2], ['113', -2], ['114', -2], ['115', -2], ['120', -4], ['1212', -4], ['124', -4],
  ['1243', -4], ['125', -5], ['127', -5], ['128', -5], ['129', -5], ['130', -4.4], ['1312', -5.8], ['1313', -5.8],
  ['138', -7], ['139', -7], ['141', -6.5], ['1411', -6.5], ['1412', -6.5], ['142', -6.5], ['143', -6.5], ['144', -7.5],
  ['145', -7.5], ['153', -7.2], ['154', -7.2], ['160', -4], ['161', -4], ['1621', -5.6], ['163', -8], ['164', -6.5],
  ['170', -7], ['171', -9.2], ['1711', -9.2], ['172', -5], ['173', -5], ['174', -5], ['175', -9], ['180', -9],
  ['181', -9], ['182', -9.5], ['1821', -9], ['1822', -9], ['1823', -10], ['183', -10], ['1831', -10], ['186', -10],
  ['190', -10], ['193', -10], ['194', -10], ['195', -10],
];

describe('the CAMEO codebook', () => {
  it('has the 20 roots, 01 to 20, each first in its part of the table', () => {
    expect(cameoRoots).toEqual(Array.from({ length: 20 }, (_, index) => String(index + 1).padStart(2, '0')));
    for (const root of cameoRoots) expect(cameoEntries.find((entry) => entry.root === root)?.code).toBe(root);
  });

  it('holds all 311 codes of the published tables, each once, every code under its root and every 4-digit code under its 3-digit one', () => {
    expect(cameoEntries).toHaveLength(311);
    expect(new Set(cameoEntries.map((entry) => entry.code)).size).toBe(311);
    for (const entry of cameoEntries) {
      expect(entry.code).toMatch(/^\d{2,4}$/);
      expect(entry.root).toBe(entry.code.slice(0, 2));
      if (entry.code.length === 4) expect(cameoEntry(entry.code.slice(0, 3))).toBeDefined();
      expect(entry.name).toMatch(/^\S.*\S$/);
      expect(entry.goldstein).toBeGreaterThanOrEqual(-10);
      expect(entry.goldstein).toBeLessThanOrEqual(10);
    }
    expect(cameoEventCodes).toHaveLength(291);
  });

  it('files each root under its quad class', () => {
    expect(cameoRoots.map(quadClassOfRoot)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4]);
    expect(() => quadClassOfRoot('21')).toThrow(RangeError);
    expect(() => quadClassOfRoot('1')).toThrow(RangeError);
  });

  it('looks a code up: its root, name, quad class and Goldstein score', () => {
    expect(cameoEntry('1411')).toEqual({ code: '1411', root: '14', name: 'Demonstrate for leadership change', quadClass: 3, goldstein: -6.5 });
    expect(cameoEntry('0874')).toEqual({ code: '0874', root: '08', name: 'Retreat or surrender militarily', quadClass: 2, goldstein: 10 });
    expect(cameoEntry('2042')).toEqual({ code: '2042', root: '20', name: 'Detonate nuclear weapons', quadClass: 4, goldstein: -10 });
    expect(cameoEntry('14')).toMatchObject({ name: 'Protest', goldstein: -6.5 });
    expect(cameoEntry('099')).toBeUndefined();
    expect(cameoOfCode('173')).toEqual({ code: '173', root: '17', quadClass: 4, goldstein: -5 });
    expect(() => cameoOfCode('2043')).toThrow(RangeError);
  });

  // These scores are in the journal already: every lifecycle development was scored with them.
  it.each([
    ['010', 0], ['030', 4], ['036', 4], ['040', 1], ['046', 7], ['080', 5],
    ['100', -5], ['120', -4], ['125', -5], ['130', -4.4], ['138', -7], ['164', -7],
  ] as const)('keeps %s, which a lifecycle development maps to, at %d', (code, goldstein) => {
    expect(cameoEntry(code)?.goldstein).toBe(goldstein);
  });

  it('has every code of the ICEWS sample, scored as ICEWS scores it but for three codes where CAMEO\'s own score differs', () => {
    expect(icewsSample.filter(([code]) => !cameoEntry(code))).toEqual([]);
    const differences = icewsSample.filter(([code, intensity]) => cameoEntry(code)!.goldstein !== intensity)
      .map(([code, intensity]) => [code, intensity, cameoEntry(code)!.goldstein]);
    expect(differences).toEqual([['016', -5, -2], ['022', 3.4, 3.2], ['164', -6.5, -7]]);
  });
});
