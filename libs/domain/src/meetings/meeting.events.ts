import { z } from 'zod';
import { type EventRetracted } from '../retractions/retraction.events.js';
import { instantSchema } from '../shared/development.js';
import { type DomainEvent } from '../shared/events.js';
import { idSchema, longText, noteShape, shortText } from '../shared/fields.js';

/** A named person at the table for a party (who need not be a registered party). */
export const delegateSchema = z.strictObject({ name: shortText, party: idSchema, role: shortText.optional() });

/** What a meeting is: repeated in every event that shows or changes it, so each is read on its own. */
const meetingShape = {
  meetingId: idSchema,
  title: shortText,
  /** Free text ("NATO-Russia Council", "bilateral talks"); see `negotiation`. */
  format: shortText.optional(),
  location: shortText.optional(),
  participants: z.array(idSchema).min(2),
  delegates: z.array(delegateSchema),
  issues: z.array(idSchema),
};

export const meetingScheduledData = z.strictObject({
  ...meetingShape,
  scheduledFor: instantSchema,
  ...noteShape,
});
export type MeetingScheduled = DomainEvent<'MeetingScheduled', z.infer<typeof meetingScheduledData>>;

export const meetingHeldData = z.strictObject({
  ...meetingShape,
  outcome: longText.optional(),
  /** Settled when recorded (CAMEO 046 rather than 040), so a later change of the format rule never rescores history. */
  negotiation: z.boolean(),
  ...noteShape,
});
export type MeetingHeld = DomainEvent<'MeetingHeld', z.infer<typeof meetingHeldData>>;

export const meetingCancelledData = z.strictObject({
  meetingId: idSchema,
  by: idSchema,
  reason: longText.optional(),
  participants: z.array(idSchema).min(2),
  issues: z.array(idSchema),
  ...noteShape,
});
export type MeetingCancelled = DomainEvent<'MeetingCancelled', z.infer<typeof meetingCancelledData>>;

export type MeetingEvent = MeetingScheduled | MeetingHeld | MeetingCancelled | EventRetracted;

export const meetingEventSchemas = {
  MeetingScheduled: meetingScheduledData,
  MeetingHeld: meetingHeldData,
  MeetingCancelled: meetingCancelledData,
};

/** Formats that make a meeting a negotiation when the command does not say. */
export const negotiationFormats = ['negotiation', 'negotiations', 'talks'] as const;

export function isNegotiationFormat(format: string | undefined): boolean {
  return format !== undefined && (negotiationFormats as readonly string[]).includes(format.trim().toLowerCase());
}
