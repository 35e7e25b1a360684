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
