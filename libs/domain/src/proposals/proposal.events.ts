import { z } from 'zod';
import { type EventRetracted } from '../retractions/retraction.events.js';
import { type DomainEvent } from '../shared/events.js';
import { idSchema, longText, noteShape } from '../shared/fields.js';

export const proposalMadeData = z.strictObject({
  proposalId: idSchema,
  by: idSchema,
  to: z.array(idSchema).min(1),
  /** Without an issue a proposal sets no position. */
  issue: idSchema.optional(),
  summary: longText,
  ...noteShape,
});
export type ProposalMade = DomainEvent<'ProposalMade', z.infer<typeof proposalMadeData>>;

/** An addressee's answer, carrying the proposal's proposer, addressees and issue. */
const proposalAnswerData = z.strictObject({
  proposalId: idSchema,
  by: idSchema,
  reason: longText.optional(),
  proposer: idSchema,
  to: z.array(idSchema).min(1),
  issue: idSchema.optional(),
  ...noteShape,
});
export const proposalDeclinedData = proposalAnswerData;
export type ProposalDeclined = DomainEvent<'ProposalDeclined', z.infer<typeof proposalDeclinedData>>;
export const proposalAcceptedData = proposalAnswerData;
export type ProposalAccepted = DomainEvent<'ProposalAccepted', z.infer<typeof proposalAcceptedData>>;

export type ProposalEvent = ProposalMade | ProposalDeclined | ProposalAccepted | EventRetracted;

export const proposalEventSchemas = {
  ProposalMade: proposalMadeData,
  ProposalDeclined: proposalDeclinedData,
  ProposalAccepted: proposalAcceptedData,
};
