import { z } from 'zod';
import { type Command } from '../shared/commands.js';
import { provenanceShape } from '../shared/development.js';
import { idListSchema, idSchema, longText } from '../shared/fields.js';
import { type Reference, issueAt, partiesAt, partyAt } from '../shared/references.js';

export const makeProposalData = z.strictObject({
  proposalId: idSchema,
  by: idSchema,
  to: idListSchema(1),
  issue: idSchema.optional(),
  summary: longText,
  ...provenanceShape,
});
export type MakeProposal = Command<'MakeProposal', z.infer<typeof makeProposalData>>;

const proposalAnswerData = z.strictObject({
  proposalId: idSchema,
  by: idSchema,
  reason: longText.optional(),
  ...provenanceShape,
});
export const declineProposalData = proposalAnswerData;
export type DeclineProposal = Command<'DeclineProposal', z.infer<typeof declineProposalData>>;
export const acceptProposalData = proposalAnswerData;
export type AcceptProposal = Command<'AcceptProposal', z.infer<typeof acceptProposalData>>;

export type ProposalCommand = MakeProposal | DeclineProposal | AcceptProposal;

export const proposalCommandSchemas = {
  MakeProposal: makeProposalData,
  DeclineProposal: declineProposalData,
  AcceptProposal: acceptProposalData,
};

export function proposalReferences(command: ProposalCommand): Reference[] {
  switch (command.type) {
    case 'MakeProposal': {
      const { by, to, issue } = command.data;
      return [partyAt('by', by), ...partiesAt('to', to), ...(issue === undefined ? [] : [issueAt('issue', issue)])];
    }
    case 'DeclineProposal':
    case 'AcceptProposal':
      return [partyAt('by', command.data.by)];
  }
}
