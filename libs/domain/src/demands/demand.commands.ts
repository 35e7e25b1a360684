import { z } from 'zod';
import { type Command } from '../shared/commands.js';
import { provenanceShape } from '../shared/development.js';
import { idListSchema, idSchema, longText } from '../shared/fields.js';
import { type Reference, issueAt, partiesAt, partyAt } from '../shared/references.js';

export const issueDemandData = z.strictObject({
  demandId: idSchema,
  by: idSchema,
  addressedTo: idListSchema(1),
  issue: idSchema,
  summary: longText,
  terms: z.array(longText).max(100).optional(),
  ...provenanceShape,
});
export type IssueDemand = Command<'IssueDemand', z.infer<typeof issueDemandData>>;

/** The body of a rejection, an acceptance or a withdrawal: who, and optionally why. */
const demandAnswerData = z.strictObject({
  demandId: idSchema,
  by: idSchema,
  reason: longText.optional(),
  ...provenanceShape,
});
export const rejectDemandData = demandAnswerData;
export type RejectDemand = Command<'RejectDemand', z.infer<typeof rejectDemandData>>;
export const acceptDemandData = demandAnswerData;
export type AcceptDemand = Command<'AcceptDemand', z.infer<typeof acceptDemandData>>;
export const withdrawDemandData = demandAnswerData;
export type WithdrawDemand = Command<'WithdrawDemand', z.infer<typeof withdrawDemandData>>;

export type DemandCommand = IssueDemand | RejectDemand | AcceptDemand | WithdrawDemand;

export const demandCommandSchemas = {
  IssueDemand: issueDemandData,
  RejectDemand: rejectDemandData,
  AcceptDemand: acceptDemandData,
  WithdrawDemand: withdrawDemandData,
};

export function demandReferences(command: DemandCommand): Reference[] {
  switch (command.type) {
    case 'IssueDemand':
      return [
        partyAt('by', command.data.by),
        ...partiesAt('addressedTo', command.data.addressedTo),
        issueAt('issue', command.data.issue),
      ];
    case 'RejectDemand':
    case 'AcceptDemand':
    case 'WithdrawDemand':
      return [partyAt('by', command.data.by)];
  }
}
