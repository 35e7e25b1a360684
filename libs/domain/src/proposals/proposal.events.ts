import { z } from 'zod';
import { type EventRetracted } from '../retractions/retraction.events.js';
import { type DomainEvent } from '../shared/events.js';
import { idSchema, longText, noteShape, supersedesSchema } from '../shared/fields.js';

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

export const proposalResponses = ['declined', 'accepted'] as const;
export type ProposalResponse = (typeof proposalResponses)[number];

/**
 * An addressee's answer, carrying the proposal's proposer, addressees and issue. v2: an addressee
 * may answer again; `supersedes` names the answer this one took over from, as for demands.
 */
const proposalAnswerData = z.strictObject({
  proposalId: idSchema,
  by: idSchema,
  reason: longText.optional(),
  proposer: idSchema,
  to: z.array(idSchema).min(1),
  issue: idSchema.optional(),
  supersedes: supersedesSchema(proposalResponses).optional(),
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

// Past versions (see ../upcasting.ts).

/** ProposalDeclined and ProposalAccepted v1: an addressee answered once, so no answer superseded another. */
export const proposalAnswerV1Data = proposalAnswerData.omit({ supersedes: true });
