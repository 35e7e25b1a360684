import { describe, expect, it } from '@jest/globals';
import { given, retraction, reuters, scenarioContext } from '../scenario.js';
import { type RecordCodedDevelopment } from './coded-development.commands.js';
import { codedDevelopmentDecider } from './coded-development.decider.js';
import { type CodedDevelopmentRecorded } from './coded-development.events.js';

const stream = 'development-expulsions';
const provenance = { occurredAt: '2022-01-12', sources: [reuters] };

const record = (data: Partial<RecordCodedDevelopment['data']> = {}): RecordCodedDevelopment => ({
  type: 'RecordCodedDevelopment',
  data: {
    developmentId: 'expulsions',
    by: 'RUS',
    to: ['USA', 'FRA'],
    cameo: '1663',
    summary: 'Russia orders aid agencies of the United States and France to leave',
    ...provenance,
    ...data,
  },
});

const expulsions: CodedDevelopmentRecorded = {
  type: 'CodedDevelopmentRecorded',
  schemaVersion: 1,
  ...provenance,
  data: {
    developmentId: 'expulsions',
    by: 'RUS',
    to: ['USA', 'FRA'],
    cameo: { code: '1663', root: '16', quadClass: 4, goldstein: -7 },
    summary: 'Russia orders aid agencies of the United States and France to leave',
  },
};

describe('coded development decider', () => {
  it('records the development with the root, quad class and Goldstein score of its code', () => {
    expect(given(codedDevelopmentDecider, stream).when(record())).toEqual([expulsions]);
  });

  it.each([
    ['an appeal for humanitarian aid', '0233', { root: '02', quadClass: 1, goldstein: 3.4 }],
    ['humanitarian aid', '073', { root: '07', quadClass: 2, goldstein: 7.4 }],
    ['a protest', '141', { root: '14', quadClass: 3, goldstein: -6.5 }],
    ['an arrest', '173', { root: '17', quadClass: 4, goldstein: -5 }],
    ['a use of force', '190', { root: '19', quadClass: 4, goldstein: -10 }],
  ] as const)('codes %s (%s) from the codebook', (_case, cameo, coding) => {
    const [event] = given(codedDevelopmentDecider, stream).when(record({ cameo })) as CodedDevelopmentRecorded[];
    expect(event?.data.cameo).toEqual({ code: cameo, ...coding });
  });

  it('keeps the Goldstein score the source gave in place of the codebook\'s', () => {
    const [event] = given(codedDevelopmentDecider, stream).when(record({ cameo: '164', goldstein: -6.5 })) as CodedDevelopmentRecorded[];
    expect(event?.data.cameo).toEqual({ code: '164', root: '16', quadClass: 4, goldstein: -6.5 });
  });

  it('records an issue and a note when given', () => {
    const [event] = given(codedDevelopmentDecider, stream).when(record({ issue: 'nato-eastern-presence', note: 'second report' })) as CodedDevelopmentRecorded[];
    expect(event?.data).toMatchObject({ issue: 'nato-eastern-presence', note: 'second report' });
  });

  it('refuses an id that is taken, even by a retracted development', () => {
    expect(given(codedDevelopmentDecider, stream, expulsions).when(record())).toMatchObject({ rejection: 'ALREADY_EXISTS' });
    const retracted = given(codedDevelopmentDecider, stream, expulsions, retraction(`${stream}/1`, 'CodedDevelopmentRecorded', ['RUS', 'USA', 'FRA']));
    expect(retracted.when(record())).toMatchObject({ rejection: 'ALREADY_EXISTS' });
  });

  it('refuses a development a party directs at itself, or at a party named twice', () => {
    expect(given(codedDevelopmentDecider, stream).when(record({ to: ['USA', 'RUS'] }))).toMatchObject({ rejection: 'SELF_ADDRESSED', path: 'to[1]' });
    expect(given(codedDevelopmentDecider, stream).when(record({ to: ['USA', 'USA'] }))).toMatchObject({ rejection: 'DUPLICATE_REFERENCE', path: 'to[1]' });
  });

  it('refuses an unregistered party or issue, naming the field', () => {
    const withoutFrance = scenarioContext({ knownParties: new Set(['RUS', 'USA']) });
    expect(given(codedDevelopmentDecider, stream).when(record(), withoutFrance)).toMatchObject({ rejection: 'UNKNOWN_PARTY', path: 'to[1]' });
    const noIssues = scenarioContext({ knownIssues: new Set() });
    expect(given(codedDevelopmentDecider, stream).when(record({ issue: 'nato-eastern-presence' }), noIssues)).toMatchObject({
      rejection: 'UNKNOWN_ISSUE', path: 'issue',
    });
  });

  it('refuses a development dated in the future', () => {
    expect(given(codedDevelopmentDecider, stream).when(record({ occurredAt: '2022-01-13' }))).toMatchObject({ rejection: 'OCCURRED_IN_FUTURE' });
  });
});
