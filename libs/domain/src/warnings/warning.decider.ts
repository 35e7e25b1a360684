import { duplicateReference, occurredInFuture, selfAddressed, unknownReference } from '../shared/checks.js';
import { type Decider } from '../shared/decider.js';
import { development } from '../shared/events.js';
import { reject } from '../shared/rejection.js';
import { type WarningCommand, warningReferences } from './warning.commands.js';
import { type WarningEvent } from './warning.events.js';

/** A warning is given once; nothing changes it after. `given` stays true when it is retracted: the id stays taken. */
export type WarningState = { given: boolean; retracted: boolean; givenEventId?: string };

export const warningDecider: Decider<WarningCommand, WarningState, WarningEvent> = {
  initialState: () => ({ given: false, retracted: false }),

  evolve(state, event) {
    switch (event.type) {
      case 'WarningGiven':
        return { ...state, given: true, givenEventId: event.eventId };
      case 'EventRetracted':
        return event.data.retractedEventId === state.givenEventId ? { ...state, retracted: true } : state;
      default: {
        const _exhaustive: never = event;
        return state;
      }
    }
  },

  decide(command, state, context) {
    switch (command.type) {
      case 'GiveWarning': {
        const { warningId, by, to, issue, condition, consequence, severity, kind, ...provenance } = command.data;
        const invalid =
          occurredInFuture(provenance.occurredAt, context.now) ??
          duplicateReference('to', to) ??
          selfAddressed(by, 'to', to) ??
          unknownReference(warningReferences(command), context);
        if (invalid) return invalid;
        if (state.given) return reject('ALREADY_EXISTS', `warning ${warningId} already exists`);
        return [development('WarningGiven', provenance, { warningId, by, to, issue, condition, consequence, severity, kind })];
      }
      default: {
        const _exhaustive: never = command.type;
        return reject('INVALID_COMMAND', 'not a warning command');
      }
    }
  },
};
