import { z } from 'zod';
import { type EventRetracted } from '../retractions/retraction.events.js';
import { cameoEventCodes, cameoRoots } from '../shared/cameo.js';
import { type DomainEvent } from '../shared/events.js';
import { idSchema, longText, noteShape } from '../shared/fields.js';

/** A 3- or 4-digit code of the CAMEO codebook (../shared/cameo.ts). */
export const cameoCodeSchema = z.enum(cameoEventCodes as [string, ...string[]], {
  error: 'not a 3- or 4-digit event code of the CAMEO codebook (e.g. "0234", "173")',
});

/** A root of the codebook, `01` to `20`. */
export const cameoRootSchema = z.enum(cameoRoots as [string, ...string[]], { error: 'not a CAMEO root: "01" to "20"' });

/**
 * A development that CAMEO codes but that has no lifecycle of its own here (an appeal, aid, a
 * sanction, an expulsion, an arrest, a protest, a use of force): `by` did it to each of `to`.
 * Its coding is filled from the codebook when recorded and kept with it, as a meeting's
 * `negotiation` is, so a later correction of the table never rescores history.
 */
export const codedDevelopmentRecordedData = z.strictObject({
  developmentId: idSchema,
  by: idSchema,
  to: z.array(idSchema).min(1),
  cameo: z.strictObject({
    code: cameoCodeSchema,
    root: cameoRootSchema,
    quadClass: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
    goldstein: z.number().min(-10).max(10),
  }),
  issue: idSchema.optional(),
  summary: longText,
  ...noteShape,
});
export type CodedDevelopmentRecorded = DomainEvent<'CodedDevelopmentRecorded', z.infer<typeof codedDevelopmentRecordedData>>;

export type CodedDevelopmentEvent = CodedDevelopmentRecorded | EventRetracted;

export const codedDevelopmentEventSchemas = { CodedDevelopmentRecorded: codedDevelopmentRecordedData };
