import { describe, expect, it } from '@jest/globals';
import { given, reuters, scenarioContext, scenarioNow } from '../scenario.js';
import { type RegisterParty, type StatePosition } from './party.commands.js';
import { partyDecider } from './party.decider.js';
import { type PartyRegistered, type PositionStated } from './party.events.js';

const nato: PartyRegistered = {
  type: 'PartyRegistered',
  schemaVersion: 1,
  occurredAt: '2022-01-01T00:00:00.000Z',
  sources: [],
  data: { partyId: 'NATO', name: 'North Atlantic Treaty Organization', kind: 'organization', memberOf: [] },
};

const registerStoltenberg = (data: Partial<RegisterParty['data']> = {}): RegisterParty => ({
  type: 'RegisterParty',
  data: { id: 'stoltenberg', name: 'Jens Stoltenberg', kind: 'person', represents: 'NATO', role: 'Secretary General', ...data },
});

const stateOpposition = (data: Partial<StatePosition['data']> = {}): StatePosition => ({
  type: 'StatePosition',
  data: {
    by: 'NATO',
    issue: 'ukraine-nato-membership',
    stance: 'opposes',
    summary: 'NATO will not compromise on the right of every country to choose its security arrangements',
    quote: 'We will not compromise on the sovereignty and territorial integrity of any European country.',
    occurredAt: '2022-01-12',
    sources: [reuters],
    ...data,
  },
});

describe('party decider', () => {
  describe('RegisterParty', () => {
    it('registers a party now, citing no source', () => {
      expect(given(partyDecider, 'party-stoltenberg').when(registerStoltenberg())).toEqual([
        {
          type: 'PartyRegistered',
          schemaVersion: 1,
          occurredAt: scenarioNow.toISOString(),
          sources: [],
          data: { partyId: 'stoltenberg', name: 'Jens Stoltenberg', kind: 'person', memberOf: [], represents: 'NATO', role: 'Secretary General' },
        },
      ]);
    });

    it('refuses to register a party twice', () => {
      expect(given(partyDecider, 'party-NATO', nato).when(registerStoltenberg({ id: 'NATO', kind: 'organization' }))).toMatchObject({
        rejection: 'ALREADY_EXISTS',
      });
    });

    it('refuses membership of an unregistered party, naming the field', () => {
      const context = scenarioContext({ knownParties: new Set(['NATO']) });
      expect(
        given(partyDecider, 'party-FRA').when({ type: 'RegisterParty', data: { id: 'FRA', name: 'France', kind: 'state', memberOf: ['NATO', 'EU'] } }, context),
      ).toEqual(expect.objectContaining({ rejection: 'UNKNOWN_PARTY', path: 'memberOf[1]' }));
    });

    it('refuses a person representing an unregistered party', () => {
      const context = scenarioContext({ knownParties: new Set() });
      expect(given(partyDecider, 'party-stoltenberg').when(registerStoltenberg(), context)).toMatchObject({
        rejection: 'UNKNOWN_PARTY',
        path: 'represents',
      });
    });

    it('refuses a membership listed twice', () => {
      expect(
        given(partyDecider, 'party-FRA').when({ type: 'RegisterParty', data: { id: 'FRA', name: 'France', kind: 'state', memberOf: ['NATO', 'NATO'] } }),
      ).toMatchObject({ rejection: 'DUPLICATE_REFERENCE', path: 'memberOf[1]' });
    });
  });

  describe('StatePosition', () => {
    it("records the party's stance in its own stream, with the note in the data", () => {
      expect(given(partyDecider, 'party-NATO', nato).when(stateOpposition({ confidence: 'confirmed', note: 'press conference' }))).toEqual([
        {
          type: 'PositionStated',
          schemaVersion: 1,
          occurredAt: '2022-01-12',
          sources: [reuters],
          confidence: 'confirmed',
          data: {
            by: 'NATO',
            issue: 'ukraine-nato-membership',
            stance: 'opposes',
            summary: 'NATO will not compromise on the right of every country to choose its security arrangements',
            quote: 'We will not compromise on the sovereignty and territorial integrity of any European country.',
            note: 'press conference',
          },
        } satisfies PositionStated,
      ]);
    });

    it('refuses a statement of a party whose stream does not exist', () => {
      expect(given(partyDecider, 'party-NATO').when(stateOpposition())).toMatchObject({ rejection: 'NOT_FOUND' });
    });

    it('refuses a statement on an unregistered issue', () => {
      const context = scenarioContext({ knownIssues: new Set() });
      expect(given(partyDecider, 'party-NATO', nato).when(stateOpposition(), context)).toMatchObject({ rejection: 'UNKNOWN_ISSUE', path: 'issue' });
    });

    it('refuses a statement dated after today', () => {
      expect(given(partyDecider, 'party-NATO', nato).when(stateOpposition({ occurredAt: '2022-01-13' }))).toMatchObject({
        rejection: 'OCCURRED_IN_FUTURE',
        path: 'occurredAt',
      });
    });
  });
});
