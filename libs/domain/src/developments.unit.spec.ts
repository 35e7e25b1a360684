import { describe, expect, it } from '@jest/globals';
import { cameoOf, counterpartPairs, partiesOf, stanceEffects, stanceEndings } from './developments.js';
import { type ChanceryEvent, type ChanceryEventType, chanceryEventTypes } from './events.js';
import { assertPublishable, exampleEvents } from './scenario.js';

const events = exampleEvents;

const expectations: Record<
  ChanceryEventType,
  { cameo: [string, number] | null; parties: string[]; pairs: Array<[string, string]>; stances: Array<[string, string, string]> }
> = {
  PartyRegistered: { cameo: null, parties: ['FRA'], pairs: [], stances: [] },
  IssueRegistered: { cameo: null, parties: [], pairs: [], stances: [] },
  DemandIssued: { cameo: ['100', -5], parties: ['RUS', 'USA', 'NATO'], pairs: [['RUS', 'USA'], ['NATO', 'RUS']], stances: [['RUS', 'ukraine-nato-membership', 'demands']] },
  DemandRejected: { cameo: ['120', -4], parties: ['NATO', 'RUS'], pairs: [['NATO', 'RUS']], stances: [['NATO', 'ukraine-nato-membership', 'rejects']] },
  DemandAccepted: { cameo: ['080', 5], parties: ['USA', 'RUS'], pairs: [['RUS', 'USA']], stances: [['USA', 'ukraine-nato-membership', 'accepts']] },
  DemandWithdrawn: { cameo: null, parties: ['RUS', 'USA', 'NATO'], pairs: [['RUS', 'USA'], ['NATO', 'RUS']], stances: [] },
  MeetingScheduled: { cameo: ['036', 4], parties: ['USA', 'RUS', 'NATO'], pairs: [['RUS', 'USA'], ['NATO', 'USA'], ['NATO', 'RUS']], stances: [] },
  MeetingHeld: { cameo: ['040', 1], parties: ['USA', 'RUS', 'NATO'], pairs: [['RUS', 'USA'], ['NATO', 'USA'], ['NATO', 'RUS']], stances: [] },
  MeetingCancelled: { cameo: ['164', -7], parties: ['RUS', 'USA', 'NATO'], pairs: [['RUS', 'USA'], ['NATO', 'RUS']], stances: [] },
  WarningGiven: { cameo: ['130', -4.4], parties: ['NATO', 'RUS', 'USA'], pairs: [['NATO', 'RUS'], ['NATO', 'USA']], stances: [] },
  ProposalMade: { cameo: ['030', 4], parties: ['NATO', 'RUS', 'USA'], pairs: [['NATO', 'RUS'], ['NATO', 'USA']], stances: [['NATO', 'nato-eastern-presence', 'proposes']] },
  ProposalDeclined: { cameo: ['125', -5], parties: ['RUS', 'NATO'], pairs: [['NATO', 'RUS']], stances: [['RUS', 'nato-eastern-presence', 'rejects']] },
  ProposalAccepted: { cameo: ['080', 5], parties: ['USA', 'NATO'], pairs: [['NATO', 'USA']], stances: [['USA', 'nato-eastern-presence', 'accepts']] },
  PositionStated: { cameo: ['010', 0], parties: ['FRA'], pairs: [], stances: [['FRA', 'ukraine-nato-membership', 'open-to-discuss']] },
  CodedDevelopmentRecorded: { cameo: ['1312', -5.8], parties: ['USA', 'RUS'], pairs: [['RUS', 'USA']], stances: [] },
  EventRetracted: { cameo: null, parties: ['NATO', 'RUS'], pairs: [], stances: [] },
};

describe('what a development means to the read models', () => {
  it.each(chanceryEventTypes)('%s: CAMEO code, parties, pairs and stances', (type) => {
    const event = events[type];
    assertPublishable(event);
    const expected = expectations[type];
    const cameo = cameoOf(event);
    expect(cameo && [cameo.code, cameo.goldstein]).toEqual(expected.cameo);
    expect(partiesOf(event)).toEqual(expected.parties);
    expect(counterpartPairs(event)).toEqual(expected.pairs);
    expect(stanceEffects(event).map(({ party, issue, stance }) => [party, issue, stance])).toEqual(expected.stances);
  });

  it('files each CAMEO code under its root and quad class', () => {
    expect(cameoOf(events.DemandIssued)).toEqual({ code: '100', root: '10', quadClass: 3, goldstein: -5 });
    expect(cameoOf(events.DemandAccepted)).toEqual({ code: '080', root: '08', quadClass: 2, goldstein: 5 });
    expect(cameoOf(events.MeetingCancelled)).toEqual({ code: '164', root: '16', quadClass: 4, goldstein: -7 });
    expect(cameoOf(events.PositionStated)).toEqual({ code: '010', root: '01', quadClass: 1, goldstein: 0 });
  });

  it('scores a coded development by the coding it was recorded with, whatever the codebook says today', () => {
    const recorded = exampleEvents.CodedDevelopmentRecorded as Extract<ChanceryEvent, { type: 'CodedDevelopmentRecorded' }>;
    const corrected = { ...recorded, data: { ...recorded.data, cameo: { ...recorded.data.cameo, goldstein: -6 } } } as ChanceryEvent;
    expect(cameoOf(recorded)).toEqual({ code: '1312', root: '13', quadClass: 3, goldstein: -5.8 });
    expect(cameoOf(corrected)).toMatchObject({ code: '1312', goldstein: -6 });
  });

  it('scores a negotiation above a consultation', () => {
    const negotiation = { ...events.MeetingHeld, data: { ...events.MeetingHeld.data, negotiation: true } } as ChanceryEvent;
    expect(cameoOf(negotiation)).toEqual({ code: '046', root: '04', quadClass: 1, goldstein: 7 });
  });

  it('scores a military threat below any other', () => {
    const military = { ...events.WarningGiven, data: { ...events.WarningGiven.data, kind: 'military' } } as ChanceryEvent;
    expect(cameoOf(military)).toEqual({ code: '138', root: '13', quadClass: 3, goldstein: -7 });
  });

  it('lets a proposal on no issue set no position', () => {
    const withoutIssue = { ...events.ProposalMade, data: { ...events.ProposalMade.data, issue: undefined } } as ChanceryEvent;
    expect(stanceEffects(withoutIssue)).toEqual([]);
    const declinedWithoutIssue = { ...events.ProposalDeclined, data: { ...events.ProposalDeclined.data, issue: undefined } } as ChanceryEvent;
    expect(stanceEffects(declinedWithoutIssue)).toEqual([]);
  });

  it('pairs a canceller who did not take part with every participant', () => {
    const cancelledByHost = { ...events.MeetingCancelled, data: { ...events.MeetingCancelled.data, by: 'FRA', participants: ['USA', 'RUS'] } } as ChanceryEvent;
    expect(counterpartPairs(cancelledByHost)).toEqual([['FRA', 'USA'], ['FRA', 'RUS']]);
    expect(partiesOf(cancelledByHost)).toEqual(['FRA', 'USA', 'RUS']);
  });

  it("ends the issuer's demand when it is withdrawn, and nothing else", () => {
    expect(stanceEndings(events.DemandWithdrawn)).toEqual([{ party: 'RUS', issue: 'ukraine-nato-membership', stance: 'demands', demandId: 'd1' }]);
    expect(chanceryEventTypes.filter((type) => stanceEndings(events[type]).length > 0)).toEqual(['DemandWithdrawn']);
  });
});
