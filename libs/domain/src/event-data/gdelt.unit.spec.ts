import { describe, expect, it } from '@jest/globals';
import { type CodedEvent } from './coded-event.js';
import { gdeltEvent } from './gdelt.js';

/** A GDELT 2.0 export row, 61 columns, with the given fields set by their codebook position. */
function row(fields: Record<number, string>): string {
  return Array.from({ length: 61 }, (_, index) => fields[index] ?? '').join('\t');
}

const sanction = row({
  0: '781234567', 1: '20180602', 5: 'USAGOV', 6: 'UNITED STATES', 7: 'USA', 12: 'GOV', 15: 'RUS', 16: 'RUSSIA', 17: 'RUS',
  26: '163', 30: '-8.0', 52: 'Washington, District of Columbia, United States', 59: '20180602143000', 60: 'https://news.example.org/sanctions',
});

describe('GDELT 2.0 rows', () => {
  it('map to a coded development by Actor1 on Actor2, dated by SQLDATE, scored by GoldsteinScale, sourced by its URL', () => {
    expect(gdeltEvent(sanction)).toEqual({
      developmentId: 'gdelt-781234567',
      occurredAt: '2018-06-02',
      actor: { id: 'gdelt.USAGOV', name: 'UNITED STATES', kind: 'group' },
      target: { id: 'gdelt.RUS', name: 'RUSSIA', kind: 'state' },
      cameo: '163',
      goldstein: -8,
      summary: 'UNITED STATES: Impose embargo, boycott, or sanctions — RUSSIA (Washington, District of Columbia, United States)',
      source: { url: 'https://news.example.org/sanctions', publishedAt: '2018-06-02T14:30:00Z' },
    });
  });

  it('make an IGO an organization', () => {
    const event = gdeltEvent(row({ 0: '1', 1: '20180602', 5: 'IGOUNO', 6: 'UNITED NATIONS', 12: 'IGO', 15: 'UKR', 17: 'UKR', 26: '071' })) as CodedEvent;
    expect(event.actor).toEqual({ id: 'gdelt.IGOUNO', name: 'UNITED NATIONS', kind: 'organization' });
    expect(event.source).toEqual({ citation: 'GDELT event 1' });
  });

  it.each([
    ['too few columns', sanction.split('\t').slice(0, 58).join('\t'), '58 columns, not the 61 of a GDELT 2.0 event'],
    ['one actor only (a protest with no target)', sanction.replace('\tRUS\tRUSSIA\tRUS\t', '\t\t\t\t'), 'no Actor2Code'],
    ['a date that is not one', sanction.replace('\t20180602\t', '\t2018-06\t'), 'SQLDATE "2018-06" is not a date (YYYYMMDD)'],
    ['a code the codebook lacks', sanction.replace('\t163\t', '\t1999\t'), 'CAMEO code "1999" is not an event code of the codebook'],
  ])('refuse a row with %s', (_case, bad, reason) => {
    expect(gdeltEvent(bad)).toEqual({ refused: reason });
  });
});
