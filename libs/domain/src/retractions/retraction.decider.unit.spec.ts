import { describe, expect, it } from '@jest/globals';
import { type DemandIssued, type DemandRejected } from '../demands/demand.events.js';
import { type PartyRegistered } from '../parties/party.events.js';
import { given, retraction, reuters, scenarioNow } from '../scenario.js';
import { type RetractEvent } from './retraction.commands.js';
import { retractionDecider } from './retraction.decider.js';

const stream = 'demand-security-guarantees';
const demand = { demandId: 'security-guarantees', issuer: 'RUS', addressedTo: ['USA', 'NATO'], issue: 'ukraine-nato-membership' };
const issued: DemandIssued = {
  type: 'DemandIssued',
  schemaVersion: 1,
  occurredAt: '2021-12-17',
  sources: [reuters],
  data: { demandId: 'security-guarantees', by: 'RUS', addressedTo: ['USA', 'NATO'], issue: 'ukraine-nato-membership', summary: 'Guarantees', terms: [] },
};
const rejectedByNato: DemandRejected = { type: 'DemandRejected', schemaVersion: 1, occurredAt: '2022-01-12', sources: [reuters], data: { ...demand, by: 'NATO' } };

const retract = (eventId: string): RetractEvent => ({ type: 'RetractEvent', data: { eventId, reason: 'IRNA misquoted Reuters' } });

describe('retraction decider', () => {
  it("retracts an event in its stream, naming the event's type and parties", () => {
    expect(given(retractionDecider, stream, issued, rejectedByNato).when(retract(`${stream}/2`))).toEqual([
      {
        type: 'EventRetracted',
        schemaVersion: 1,
        occurredAt: scenarioNow.toISOString(),
        sources: [],
        data: { retractedEventId: `${stream}/2`, retractedEventType: 'DemandRejected', retractedParties: ['NATO', 'RUS'], reason: 'IRNA misquoted Reuters' },
      },
    ]);
  });

  it("records a correction's own provenance: when it became known and the sources that say so", () => {
    const denial = { citation: 'Ministry of Foreign Affairs statement', outlet: 'TASS' };
    const command: RetractEvent = { type: 'RetractEvent', data: { eventId: `${stream}/2`, reason: 'NATO denied it', occurredAt: '2022-01-12T09:00:00Z', sources: [denial] } };
    expect(given(retractionDecider, stream, issued, rejectedByNato).when(command)).toEqual([
      expect.objectContaining({ type: 'EventRetracted', occurredAt: '2022-01-12T09:00:00Z', sources: [denial] }),
    ]);
  });

  it('refuses a correction dated in the future', () => {
    const command: RetractEvent = { type: 'RetractEvent', data: { eventId: `${stream}/2`, reason: 'denied', occurredAt: '2022-01-13' } };
    expect(given(retractionDecider, stream, issued, rejectedByNato).when(command)).toMatchObject({ rejection: 'OCCURRED_IN_FUTURE', path: 'occurredAt' });
  });

  it('refuses an event the stream does not hold', () => {
    expect(given(retractionDecider, stream, issued).when(retract(`${stream}/2`))).toMatchObject({ rejection: 'EVENT_NOT_FOUND', path: 'eventId' });
  });

  it('refuses to retract an event twice', () => {
    const scenario = given(retractionDecider, stream, issued, rejectedByNato, retraction(`${stream}/2`, 'DemandRejected', ['NATO', 'RUS']));
    expect(scenario.when(retract(`${stream}/2`))).toMatchObject({ rejection: 'EVENT_ALREADY_RETRACTED' });
    expect(scenario.when(retract(`${stream}/1`))).toHaveLength(1);
  });

  it('refuses to retract a retraction', () => {
    const scenario = given(retractionDecider, stream, issued, rejectedByNato, retraction(`${stream}/2`, 'DemandRejected', ['NATO', 'RUS']));
    expect(scenario.when(retract(`${stream}/3`))).toMatchObject({ rejection: 'NOT_RETRACTABLE' });
  });

  it('refuses to retract a registration', () => {
    const registered: PartyRegistered = {
      type: 'PartyRegistered',
      schemaVersion: 1,
      occurredAt: scenarioNow.toISOString(),
      sources: [],
      data: { partyId: 'RUS', name: 'Russia', kind: 'state', memberOf: [] },
    };
    expect(given(retractionDecider, 'party-RUS', registered).when(retract('party-RUS/1'))).toMatchObject({ rejection: 'NOT_RETRACTABLE' });
  });
});
