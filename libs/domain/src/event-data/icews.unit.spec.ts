import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { importLinesOf, isRefusal, type CodedEvent } from './coded-event.js';
import { icewsColumns, icewsEvent } from './icews.js';

const sample = readFileSync(new URL('../../../../demo/icews/events.2018.sample.tab', import.meta.url), 'utf8').split('\n').filter((row) => row !== '');
const [header, ...rows] = sample as [string, ...string[]];
const columns = icewsColumns(header);
const consult = rows[0]!;

/** A sample row with one field changed. */
const withField = (name: string, value: string) => {
  const fields = consult.split('\t');
  fields[header.split('\t').indexOf(name)] = value;
  return fields.join('\t');
};

describe('ICEWS rows', () => {
  it('map to a coded development by the source actor on the target, dated, scored and cited as the file has it', () => {
    expect(icewsEvent(consult, columns)).toEqual({
      developmentId: 'icews-32889836',
      occurredAt: '2018-06-01',
      actor: { id: 'icews.foreign-affairs-bangladesh.bangladesh', name: 'Foreign Affairs (Bangladesh)', kind: 'group' },
      target: { id: 'icews.high-ranking-military-personnel-vietnam.vietnam', name: 'High Ranking Military Personnel (Vietnam)', kind: 'group' },
      cameo: '040',
      goldstein: 1,
      summary: 'Foreign Affairs (Bangladesh): Consult — High Ranking Military Personnel (Vietnam)',
      source: { citation: 'ICEWS event 32889836, story 47400351, sentence 2', outlet: 'Vietnam News Agency Bulletin', publishedAt: '2018-06-01' },
    });
  });

  it('make a country without sectors a state and an intergovernmental body an organization', () => {
    const russia = rows.map((row) => icewsEvent(row, columns)).find((event) => !isRefusal(event) && event.actor.name === 'Russia') as CodedEvent;
    expect(russia.actor).toEqual({ id: 'icews.russia.russian-federation', name: 'Russia', kind: 'state' });
    const eu = rows.map((row) => icewsEvent(row, columns)).find((event) => !isRefusal(event) && event.actor.name === 'European Union') as CodedEvent;
    expect(eu.actor).toEqual({ id: 'icews.european-union', name: 'European Union', kind: 'organization' });
  });

  it('keep the file’s Intensity as the Goldstein score where it differs from the codebook (164: -6.5, not -7)', () => {
    expect(icewsEvent(withField('CAMEO Code', '164').replace('\t1\t', '\t-6.5\t'), columns)).toMatchObject({ cameo: '164', goldstein: -6.5 });
  });

  it('map every row of the 2018 sample, each with its own development id', () => {
    const events = rows.map((row) => icewsEvent(row, columns));
    expect(events.filter(isRefusal)).toEqual([]);
    expect(new Set(events.map((event) => (event as CodedEvent).developmentId)).size).toBe(rows.length);
  });

  it.each([
    ['no event id', withField('Event ID', 'NA'), 'no Event ID'],
    ['a date that is not one', withField('Event Date', '2018-13-45'), 'Event Date "2018-13-45" is not a date (YYYY-MM-DD)'],
    ['no target', withField('Target Name', 'NA'), 'no Target Name'],
    ['a code the codebook lacks', withField('CAMEO Code', '999'), 'CAMEO code "999" is not an event code of the codebook'],
    ['a root alone', withField('CAMEO Code', '04'), 'CAMEO code "04" is not an event code of the codebook'],
    ['an intensity that is no number', withField('Intensity', 'high'), 'Intensity "high" is not a number'],
    ['an intensity off the scale', withField('Intensity', '12'), 'Goldstein score 12 is outside the scale (-10 to 10)'],
    ['an actor acting on itself', withField('Target Name', 'Foreign Affairs (Bangladesh)').replace('\tVietnam\t47400351', '\tBangladesh\t47400351'), 'Foreign Affairs (Bangladesh) acts on itself'],
  ])('refuse a row with %s, saying why', (_case, row, reason) => {
    expect(icewsEvent(row, columns)).toEqual({ refused: reason });
  });

  it('need a header with the columns they are read from', () => {
    expect(() => icewsColumns('Event ID\tEvent Date')).toThrow(/not an ICEWS header: no column "Source Name"/);
  });
});

describe('import lines of an event', () => {
  const event = icewsEvent(consult, columns) as CodedEvent;

  it('register each actor the import has not registered yet, then record the development', () => {
    expect(importLinesOf(event, (id) => id.includes('vietnam'))).toEqual([
      { command: 'RegisterParty', id: 'icews.high-ranking-military-personnel-vietnam.vietnam', name: 'High Ranking Military Personnel (Vietnam)', kind: 'group' },
      {
        command: 'RecordCodedDevelopment',
        id: 'icews-32889836',
        by: 'icews.foreign-affairs-bangladesh.bangladesh',
        to: ['icews.high-ranking-military-personnel-vietnam.vietnam'],
        cameo: '040',
        goldstein: 1,
        summary: 'Foreign Affairs (Bangladesh): Consult — High Ranking Military Personnel (Vietnam)',
        occurredAt: '2018-06-01',
        sources: [{ citation: 'ICEWS event 32889836, story 47400351, sentence 2', outlet: 'Vietnam News Agency Bulletin', publishedAt: '2018-06-01' }],
        confidence: 'reported',
      },
    ]);
  });

  it('leave the codebook’s score when the row has none', () => {
    const unscored = icewsEvent(withField('Intensity', 'NA'), columns) as CodedEvent;
    expect(importLinesOf(unscored, () => false)[0]).not.toHaveProperty('goldstein');
  });
});
