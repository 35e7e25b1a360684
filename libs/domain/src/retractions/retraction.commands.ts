import { z } from 'zod';
import { type Command } from '../shared/commands.js';
import { instantSchema, sourcesSchema } from '../shared/development.js';
import { longText } from '../shared/fields.js';

/**
 * A correction, with its own provenance: `occurredAt` is when it became known in the world (the
 * agency withdrew the report, the ministry denied it; now when not given), `sources` what says so.
 */
export const retractEventData = z.strictObject({
  eventId: z.string().min(1).max(128),
  reason: longText,
  occurredAt: instantSchema.optional(),
  sources: sourcesSchema.optional(),
});
export type RetractEvent = Command<'RetractEvent', z.infer<typeof retractEventData>>;

export const retractionCommandSchemas = { RetractEvent: retractEventData };
