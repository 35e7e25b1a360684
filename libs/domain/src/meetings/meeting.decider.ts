import { duplicateReference, occurredInFuture, unknownReference } from '../shared/checks.js';
import { type Decider } from '../shared/decider.js';
import { development } from '../shared/events.js';
import { type Rejection, isRejection, reject } from '../shared/rejection.js';
import { type MeetingCommand, meetingReferences } from './meeting.commands.js';
import { type MeetingEvent, isNegotiationFormat } from './meeting.events.js';

type Delegate = { name: string; party: string; role?: string };
export type MeetingDetails = {
  title: string;
  format?: string;
  location?: string;
  participants: string[];
  delegates: Delegate[];
  issues: string[];
};

/** Each step's event id, cleared when that event is retracted; the status follows from which remain. */
export type MeetingState = {
  /** Kept whatever is retracted: the id stays taken. */
  details?: MeetingDetails;
  scheduledEventId?: string;
  heldEventId?: string;
  cancelledEventId?: string;
};

export type MeetingStatus = 'absent' | 'scheduled' | 'held' | 'cancelled';

export function meetingStatus(state: MeetingState): MeetingStatus {
  if (state.heldEventId) return 'held';
  if (state.cancelledEventId) return 'cancelled';
  if (state.scheduledEventId) return 'scheduled';
  return 'absent';
}

export const meetingDecider: Decider<MeetingCommand, MeetingState, MeetingEvent> = {
  initialState: () => ({}),

  evolve(state, event) {
    switch (event.type) {
      case 'MeetingScheduled': {
        const { title, format, location, participants, delegates, issues } = event.data;
        return { ...state, details: { title, format, location, participants, delegates, issues }, scheduledEventId: event.eventId };
      }
      case 'MeetingHeld': {
        const { title, format, location, participants, delegates, issues } = event.data;
        return { ...state, details: { title, format, location, participants, delegates, issues }, heldEventId: event.eventId };
      }
      case 'MeetingCancelled':
        return { ...state, cancelledEventId: event.eventId };
      case 'EventRetracted': {
        const retracted = event.data.retractedEventId;
        if (state.scheduledEventId === retracted) return { ...state, scheduledEventId: undefined };
        if (state.heldEventId === retracted) return { ...state, heldEventId: undefined };
        if (state.cancelledEventId === retracted) return { ...state, cancelledEventId: undefined };
        return state;
      }
      default: {
        const _exhaustive: never = event;
        return state;
      }
    }
  },

  decide(command, state, context) {
    const invalid =
      occurredInFuture(command.data.occurredAt, context.now) ??
      badParticipants(command) ??
      unknownReference(meetingReferences(command), context);
    if (invalid) return invalid;

    switch (command.type) {
      case 'HoldMeeting': {
        const { meetingId, title, format, location, participants, delegates = [], issues = [], outcome, negotiation, ...provenance } =
          command.data;
        if (state.details) return reject('ALREADY_EXISTS', `meeting ${meetingId} already exists`);
        return [
          development('MeetingHeld', provenance, {
            meetingId, title, format, location, participants, delegates, issues, outcome,
            negotiation: negotiation ?? isNegotiationFormat(format),
          }),
        ];
      }
      case 'ScheduleMeeting': {
        const { meetingId, title, format, location, participants, delegates = [], issues = [], scheduledFor, ...provenance } = command.data;
        if (state.details) return reject('ALREADY_EXISTS', `meeting ${meetingId} already exists`);
        return [
          development('MeetingScheduled', provenance, { meetingId, title, format, location, participants, delegates, issues, scheduledFor }),
        ];
      }
      case 'RecordMeetingHeld': {
        const { meetingId, outcome, negotiation, ...provenance } = command.data;
        const meeting = scheduledMeeting(state, meetingId);
        if (isRejection(meeting)) return meeting;
        const { title, format, location, participants, delegates, issues } = meeting;
        return [
          development('MeetingHeld', provenance, {
            meetingId, title, format, location, participants, delegates, issues, outcome,
            negotiation: negotiation ?? isNegotiationFormat(format),
          }),
        ];
      }
      case 'CancelMeeting': {
        const { meetingId, by, reason, ...provenance } = command.data;
        const meeting = scheduledMeeting(state, meetingId);
        if (isRejection(meeting)) return meeting;
        const { participants, issues } = meeting;
        return [development('MeetingCancelled', provenance, { meetingId, by, reason, participants, issues })];
      }
      default: {
        const _exhaustive: never = command;
        return reject('INVALID_COMMAND', 'not a meeting command');
      }
    }
  },
};

function badParticipants(command: MeetingCommand): Rejection | undefined {
  if (command.type !== 'HoldMeeting' && command.type !== 'ScheduleMeeting') return undefined;
  const { participants, issues = [] } = command.data;
  return (
    duplicateReference('participants', participants) ??
    duplicateReference('issues', issues) ??
    (participants.length < 2
      ? reject('TOO_FEW_PARTICIPANTS', 'a meeting needs at least two participants', 'participants')
      : undefined)
  );
}

/** The meeting if it is still to happen: only then can it be held or cancelled. */
function scheduledMeeting(state: MeetingState, meetingId: string): MeetingDetails | Rejection {
  const status = meetingStatus(state);
  if (status === 'held') return reject('MEETING_ALREADY_HELD', `meeting ${meetingId} has already been held`);
  if (status === 'cancelled') return reject('MEETING_CANCELLED', `meeting ${meetingId} has been cancelled`);
  if (status === 'absent' || !state.details) return reject('NOT_FOUND', `meeting ${meetingId} does not exist`);
  return state.details;
}
