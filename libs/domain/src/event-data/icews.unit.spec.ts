import { describe, expect, it } from '@jest/globals';
import { importLinesOf, type CodedEvent } from './coded-event.js';
import { icewsColumns, icewsEvent } from './icews.js';

// Rows of the ICEWS 2018 sample (demo/icews); that every row of it maps is checked beside the CLI that reads it.
const header = ['Event ID', 'Event Date', 'Source Name', 'Source Sectors', 'Source Country', 'Event Text', 'CAMEO Code', 'Intensity', 'Target Name',
  'Target Sectors', 'Target Country', 'Story ID', 'Sentence Number', 'Publisher', 'City', 'District', 'Province', 'Country', 'Latitude', 'Longitude'].join('\t');
const consult = '32889836\t2018-06-01\tForeign Affairs (Bangladesh)\tExecutive,Foreign Ministry,Government\tBangladesh\tConsult\t040\t1\tHigh Ranking Military Personnel (Vietnam)\tMilitary,Government\tVietnam\t47400351\t2\tVietnam News Agency Bulletin\tHanoi\tNA\tThanh Pho Ha Noi\tVietnam\t21.0245\t105.841';
const appealToRussia = '32890166\t2018-06-01\tForeign Affairs (South Korea)\tForeign Ministry,Executive,Government\tSouth Korea\tMake an appeal or request\t020\t3\tRussia\tNA\tRussian Federation\t47400386\t1\tYonhap English News\tSeoul\tNA\tSeoul-teukbyeolsi\tSouth Korea\t37.5683\t126.978';
const cooperationWithEu = '32891487\t2018-06-01\tUnited States\tNA\tUnited States\tEngage in diplomatic cooperation\t050\t3.5\tEuropean Union\tInternational Government Organization,Regional Diplomatic IGOs,Regional\tNA\t47401221\t4\tDow Jones News Service\tBrussels\t(Bruxelles-Capitale)\tBruxelles-Capitale\tBelgium\t50.8504\t4.34878';
const columns = icewsColumns(header);

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
    expect((icewsEvent(appealToRussia, columns) as CodedEvent).target).toEqual({ id: 'icews.russia.russian-federation', name: 'Russia', kind: 'state' });
    const eu = icewsEvent(cooperationWithEu, columns) as CodedEvent;
    expect(eu.actor).toEqual({ id: 'icews.united-states.united-states', name: 'United States', kind: 'state' });
    expect(eu.target).toEqual({ id: 'icews.european-union', name: 'European Union', kind: 'organization' });
  });

  it('keep the file’s Intensity as the Goldstein score where it differs from the codebook (164: -6.5, not -7)', () => {
    expect(icewsEvent(withField('CAMEO Code', '164').replace('\t1\t', '\t-6.5\t'), columns)).toMatchObject({ cameo: '164', goldstein: -6.5 });
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
