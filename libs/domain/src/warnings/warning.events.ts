import { z } from 'zod';
import { type EventRetracted } from '../retractions/retraction.events.js';
import { type DomainEvent } from '../shared/events.js';
import { idSchema, longText, noteShape } from '../shared/fields.js';

export const severities = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];

export const warningKinds = ['military', 'economic', 'diplomatic', 'other'] as const;
export type WarningKind = (typeof warningKinds)[number];

export const warningGivenData = z.strictObject({
  warningId: idSchema,
  by: idSchema,
  to: z.array(idSchema).min(1),
  issue: idSchema.optional(),
  /** "if Russia uses force against Ukraine again" */
  condition: longText.optional(),
  /** "we will seriously consider … increasing our military presence" */
  consequence: longText,
  severity: z.enum(severities),
  /** Absent when the report does not say; only `military` changes the CAMEO code (138). */
  kind: z.enum(warningKinds).optional(),
  ...noteShape,
});
export type WarningGiven = DomainEvent<'WarningGiven', z.infer<typeof warningGivenData>>;

export type WarningEvent = WarningGiven | EventRetracted;

export const warningEventSchemas = { WarningGiven: warningGivenData };

// Past versions: events recorded in these shapes stay in the journal and on the topic as they are;
// readers upcast them (see ../upcasting.ts).

/** WarningGiven v1: a yes/no `military` where v2 has `kind`. */
export const warningGivenV1Data = warningGivenData.omit({ kind: true }).extend({
  /** True for a threat of military force (CAMEO 138); false or absent otherwise. */
  military: z.boolean().optional(),
});
export type WarningGivenV1 = DomainEvent<'WarningGiven', z.infer<typeof warningGivenV1Data>>;

/**
 * v1 → v2: a military threat becomes `kind: 'military'`; any other v1 warning says nothing of its
 * kind, so it gets none (v1 could not tell an economic threat from an unstated one).
 */
export function warningGivenV1ToV2({ military, ...unchanged }: WarningGivenV1['data']): WarningGiven['data'] {
  return military === true ? { ...unchanged, kind: 'military' } : unchanged;
}
