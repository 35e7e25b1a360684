import { z } from 'zod';
import { chanceryEventTypes } from '../shared/event-types.js';
import { type DomainEvent } from '../shared/events.js';
import { idSchema, longText } from '../shared/fields.js';

/**
 * Appended to the stream of the event it retracts. It names that event's type and parties so the
 * timeline and the alerter can act on it without looking the event up; every aggregate's evolve
 * undoes the retracted event's effect on its state.
 */
export const eventRetractedData = z.strictObject({
  retractedEventId: z.string().min(1).max(128),
  retractedEventType: z.enum(chanceryEventTypes),
  retractedParties: z.array(idSchema),
  reason: longText,
});
export type EventRetracted = DomainEvent<'EventRetracted', z.infer<typeof eventRetractedData>>;

export const retractionEventSchemas = { EventRetracted: eventRetractedData };
