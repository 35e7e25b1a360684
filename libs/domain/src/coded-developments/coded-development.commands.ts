import { z } from 'zod';
import { type Command } from '../shared/commands.js';
import { provenanceShape } from '../shared/development.js';
import { idListSchema, idSchema, longText } from '../shared/fields.js';
import { type Reference, issueAt, partiesAt, partyAt } from '../shared/references.js';
import { cameoCodeSchema } from './coded-development.events.js';

/**
 * The server fills the code's root, quad class and Goldstein score from the codebook; `goldstein`
 * overrides the codebook's score where the source scored the event itself (ICEWS's Intensity,
 * GDELT's GoldsteinScale).
 */
export const recordCodedDevelopmentData = z.strictObject({
  developmentId: idSchema,
  by: idSchema,
  to: idListSchema(1),
  cameo: cameoCodeSchema,
  goldstein: z.number().min(-10).max(10).optional(),
  issue: idSchema.optional(),
  summary: longText,
  ...provenanceShape,
});
export type RecordCodedDevelopment = Command<'RecordCodedDevelopment', z.infer<typeof recordCodedDevelopmentData>>;

export type CodedDevelopmentCommand = RecordCodedDevelopment;

export const codedDevelopmentCommandSchemas = { RecordCodedDevelopment: recordCodedDevelopmentData };

export function codedDevelopmentReferences(command: CodedDevelopmentCommand): Reference[] {
  const { by, to, issue } = command.data;
  return [partyAt('by', by), ...partiesAt('to', to), ...(issue === undefined ? [] : [issueAt('issue', issue)])];
}
