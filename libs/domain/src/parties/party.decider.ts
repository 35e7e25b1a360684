// A party's stream holds its registration and the positions it states.
import { duplicateReference, occurredInFuture, unknownReference } from '../shared/checks.js';
import { type Decider } from '../shared/decider.js';
import { bookkeeping, development } from '../shared/events.js';
import { reject } from '../shared/rejection.js';
import { type PartyCommand, partyReferences } from './party.commands.js';
import { type PartyEvent } from './party.events.js';

export type PartyState = { registered: boolean };

export const partyDecider: Decider<PartyCommand, PartyState, PartyEvent> = {
  initialState: () => ({ registered: false }),

  evolve(state, event) {
    switch (event.type) {
      case 'PartyRegistered':
        return { registered: true };
      case 'PositionStated':
        return state;
      case 'EventRetracted':
        // A stated position leaves nothing here to undo (positions are a read model); a registration is not retractable.
        return state;
      default: {
        const _exhaustive: never = event;
        return state;
      }
    }
  },

  decide(command, state, context) {
    switch (command.type) {
      case 'RegisterParty': {
        const { id, name, kind, memberOf = [], represents, role } = command.data;
        const invalid = duplicateReference('memberOf', memberOf) ?? unknownReference(partyReferences(command), context);
        if (invalid) return invalid;
        if (state.registered) return reject('ALREADY_EXISTS', `party ${id} is already registered`);
        return [bookkeeping('PartyRegistered', context.now, { partyId: id, name, kind, memberOf, represents, role })];
      }
      case 'StatePosition': {
        const { by, issue, stance, summary, quote, ...provenance } = command.data;
        const invalid = occurredInFuture(provenance.occurredAt, context.now) ?? unknownReference(partyReferences(command), context);
        if (invalid) return invalid;
        if (!state.registered) return reject('NOT_FOUND', `party ${by} is not registered`);
        return [development('PositionStated', provenance, { by, issue, stance, summary, quote })];
      }
      default: {
        const _exhaustive: never = command;
        return reject('INVALID_COMMAND', 'not a party command');
      }
    }
  },
};
