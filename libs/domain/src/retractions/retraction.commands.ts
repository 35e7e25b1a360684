import { z } from 'zod';
import { type Command } from '../shared/commands.js';
import { longText } from '../shared/fields.js';

export const retractEventData = z.strictObject({
  eventId: z.string().min(1).max(128),
  reason: longText,
});
export type RetractEvent = Command<'RetractEvent', z.infer<typeof retractEventData>>;

export const retractionCommandSchemas = { RetractEvent: retractEventData };
