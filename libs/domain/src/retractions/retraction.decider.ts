// Retraction works over any stream: the handler finds the stream holding the event, folds it here, and appends the result there.
import { partiesOf } from '../developments.js';
import { type ChanceryEvent, type ChanceryEventType } from '../events.js';
import { type Decider } from '../shared/decider.js';
import { bookkeeping } from '../shared/events.js';
import { reject } from '../shared/rejection.js';
import { type RetractEvent } from './retraction.commands.js';

/** Registrations are referenced by everything after them; a retraction is undone by nothing. */
export const notRetractableEventTypes: ReadonlySet<ChanceryEventType> = new Set(['PartyRegistered', 'IssueRegistered', 'EventRetracted']);

export type RetractionState = {
  events: ReadonlyMap<string, { type: ChanceryEventType; parties: string[] }>;
  retracted: ReadonlySet<string>;
};

export const retractionDecider: Decider<RetractEvent, RetractionState, ChanceryEvent> = {
  initialState: () => ({ events: new Map(), retracted: new Set() }),

  evolve(state, event) {
    const events = new Map(state.events).set(event.eventId, { type: event.type, parties: partiesOf(event) });
    const retracted = event.type === 'EventRetracted' ? new Set(state.retracted).add(event.data.retractedEventId) : state.retracted;
    return { events, retracted };
  },

  decide(command, state, context) {
    switch (command.type) {
      case 'RetractEvent': {
        const { eventId, reason } = command.data;
        const target = state.events.get(eventId);
        if (!target) return reject('EVENT_NOT_FOUND', `event ${eventId} does not exist`, 'eventId');
        if (notRetractableEventTypes.has(target.type)) return reject('NOT_RETRACTABLE', `a ${target.type} event cannot be retracted`, 'eventId');
        if (state.retracted.has(eventId)) return reject('EVENT_ALREADY_RETRACTED', `event ${eventId} has already been retracted`, 'eventId');
        return [
          bookkeeping('EventRetracted', context.now, {
            retractedEventId: eventId,
            retractedEventType: target.type,
            retractedParties: target.parties,
            reason,
          }),
        ];
      }
      default: {
        const _exhaustive: never = command.type;
        return reject('INVALID_COMMAND', 'not a retraction command');
      }
    }
  },
};
