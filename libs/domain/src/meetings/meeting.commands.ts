import { z } from 'zod';
import { type Command } from '../shared/commands.js';
import { instantSchema, provenanceShape } from '../shared/development.js';
import { idListSchema, idSchema, longText, shortText } from '../shared/fields.js';
import { type Reference, issuesAt, partiesAt, partyAt } from '../shared/references.js';
import { delegateSchema } from './meeting.events.js';

/** Too few participants is the decider's TOO_FEW_PARTICIPANTS, not a shape error, hence no minimum here. */
const meetingShape = {
  meetingId: idSchema,
  title: shortText,
  format: shortText.optional(),
  location: shortText.optional(),
  participants: idListSchema(0),
  delegates: z.array(delegateSchema).max(200).optional(),
  issues: idListSchema(0).optional(),
};

/** A meeting recorded as held, with no scheduling before it. */
export const holdMeetingData = z.strictObject({
  ...meetingShape,
  outcome: longText.optional(),
  /** Overrides what the format suggests. */
  negotiation: z.boolean().optional(),
  ...provenanceShape,
});
export type HoldMeeting = Command<'HoldMeeting', z.infer<typeof holdMeetingData>>;

/** `occurredAt` is when the meeting was announced; `scheduledFor` when it is to take place. */
export const scheduleMeetingData = z.strictObject({
  ...meetingShape,
  scheduledFor: instantSchema,
  ...provenanceShape,
});
export type ScheduleMeeting = Command<'ScheduleMeeting', z.infer<typeof scheduleMeetingData>>;

export const recordMeetingHeldData = z.strictObject({
  meetingId: idSchema,
  outcome: longText.optional(),
  negotiation: z.boolean().optional(),
  ...provenanceShape,
});
export type RecordMeetingHeld = Command<'RecordMeetingHeld', z.infer<typeof recordMeetingHeldData>>;

export const cancelMeetingData = z.strictObject({
  meetingId: idSchema,
  by: idSchema,
  reason: longText.optional(),
  ...provenanceShape,
});
export type CancelMeeting = Command<'CancelMeeting', z.infer<typeof cancelMeetingData>>;

export type MeetingCommand = HoldMeeting | ScheduleMeeting | RecordMeetingHeld | CancelMeeting;

export const meetingCommandSchemas = {
  HoldMeeting: holdMeetingData,
  ScheduleMeeting: scheduleMeetingData,
  RecordMeetingHeld: recordMeetingHeldData,
  CancelMeeting: cancelMeetingData,
};

export function meetingReferences(command: MeetingCommand): Reference[] {
  switch (command.type) {
    case 'HoldMeeting':
    case 'ScheduleMeeting': {
      const { participants, delegates = [], issues = [] } = command.data;
      return [
        ...partiesAt('participants', participants),
        ...delegates.map((delegate, index) => partyAt(`delegates[${index}].party`, delegate.party)),
        ...issuesAt('issues', issues),
      ];
    }
    case 'RecordMeetingHeld':
      return [];
    case 'CancelMeeting':
      return [partyAt('by', command.data.by)];
  }
}
