// Retraction works over any stream: the handler finds the stream holding the event, folds it here, and appends the result there.
import { partiesOf } from '../developments.js';
import { type ChanceryEvent, type ChanceryEventType } from '../events.js';
import { occurredInFuture } from '../shared/checks.js';
import { type Decider } from '../shared/decider.js';
import { bookkeeping, type Recorded } from '../shared/events.js';
import { reject } from '../shared/rejection.js';
import { type RetractEvent } from './retraction.commands.js';

/** Registrations are referenced by everything after them; a retraction is undone by nothing. */
export const notRetractableEventTypes: ReadonlySet<ChanceryEventType> = new Set(['PartyRegistered', 'IssueRegistered', 'EventRetracted']);

/**
 * The stream's events, newest first, as a chain each event extends without copying what came
 * before: folding a long stream (a party's statements) stays linear. Looked up only to decide.
 */
type Known = { event: Recorded<ChanceryEvent>; earlier: Known | null };

export type RetractionState = { newest: Known | null; retracted: ReadonlySet<string> };

function known(state: RetractionState, eventId: string): Recorded<ChanceryEvent> | undefined {
  for (let entry = state.newest; entry; entry = entry.earlier) if (entry.event.eventId === eventId) return entry.event;
  return undefined;
}

export const retractionDecider: Decider<RetractEvent, RetractionState, ChanceryEvent> = {
  initialState: () => ({ newest: null, retracted: new Set() }),

  evolve(state, event) {
    const retracted = event.type === 'EventRetracted' ? new Set(state.retracted).add(event.data.retractedEventId) : state.retracted;
    return { newest: { event, earlier: state.newest }, retracted };
  },

  decide(command, state, context) {
    switch (command.type) {
      case 'RetractEvent': {
        const { eventId, reason, occurredAt, sources } = command.data;
        const target = known(state, eventId);
        if (!target) return reject('EVENT_NOT_FOUND', `event ${eventId} does not exist`, 'eventId');
        if (notRetractableEventTypes.has(target.type)) return reject('NOT_RETRACTABLE', `a ${target.type} event cannot be retracted`, 'eventId');
        if (state.retracted.has(eventId)) return reject('EVENT_ALREADY_RETRACTED', `event ${eventId} has already been retracted`, 'eventId');
        const future = occurredAt === undefined ? undefined : occurredInFuture(occurredAt, context.now);
        if (future) return future;
        const retraction = bookkeeping('EventRetracted', context.now, {
          retractedEventId: eventId,
          retractedEventType: target.type,
          retractedParties: partiesOf(target),
          reason,
        });
        // The system records a retraction on its own authority; a correction a source made carries that source.
        return [{ ...retraction, ...(occurredAt === undefined ? {} : { occurredAt }), ...(sources === undefined ? {} : { sources }) }];
      }
      default: {
        const _exhaustive: never = command.type;
        return reject('INVALID_COMMAND', 'not a retraction command');
      }
    }
  },
};
