import { z } from 'zod';
import { type Command } from '../shared/commands.js';
import { provenanceShape } from '../shared/development.js';
import { idListSchema, idSchema, longText } from '../shared/fields.js';
import { type Reference, issueAt, partiesAt, partyAt } from '../shared/references.js';
import { severities, warningKinds } from './warning.events.js';

export const giveWarningData = z.strictObject({
  warningId: idSchema,
  by: idSchema,
  to: idListSchema(1),
  issue: idSchema.optional(),
  condition: longText.optional(),
  consequence: longText,
  severity: z.enum(severities),
  kind: z.enum(warningKinds).optional(),
  ...provenanceShape,
});
export type GiveWarning = Command<'GiveWarning', z.infer<typeof giveWarningData>>;

export type WarningCommand = GiveWarning;

export const warningCommandSchemas = { GiveWarning: giveWarningData };

export function warningReferences(command: WarningCommand): Reference[] {
  const { by, to, issue } = command.data;
  return [partyAt('by', by), ...partiesAt('to', to), ...(issue === undefined ? [] : [issueAt('issue', issue)])];
}
