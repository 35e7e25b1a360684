import { z } from 'zod';
import { type EventRetracted } from '../retractions/retraction.events.js';
import { type DomainEvent } from '../shared/events.js';
import { idSchema, longText, noteShape, supersedesSchema } from '../shared/fields.js';

export const demandIssuedData = z.strictObject({
  demandId: idSchema,
  by: idSchema,
  addressedTo: z.array(idSchema).min(1),
  issue: idSchema,
  summary: longText,
  /** The demand's conditions, one a line item (e.g. "no NATO membership for Ukraine"). */
  terms: z.array(longText),
  ...noteShape,
});
export type DemandIssued = DomainEvent<'DemandIssued', z.infer<typeof demandIssuedData>>;

export const demandResponses = ['rejected', 'accepted'] as const;
export type DemandResponse = (typeof demandResponses)[number];

/**
 * An addressee's answer, carrying the demand's issuer, addressees and issue so no reader must look
 * them up. v2: an addressee may answer again (docs/adr/0017-answers-that-change.md); `supersedes`
 * names its answer that this one took over from as the latest, absent for a first answer and for
 * one dated before the standing answer.
 */
const demandAnswerData = z.strictObject({
  demandId: idSchema,
  by: idSchema,
  reason: longText.optional(),
  issuer: idSchema,
  addressedTo: z.array(idSchema).min(1),
  issue: idSchema,
  supersedes: supersedesSchema(demandResponses).optional(),
  ...noteShape,
});
export const demandRejectedData = demandAnswerData;
export type DemandRejected = DomainEvent<'DemandRejected', z.infer<typeof demandRejectedData>>;
export const demandAcceptedData = demandAnswerData;
export type DemandAccepted = DomainEvent<'DemandAccepted', z.infer<typeof demandAcceptedData>>;

/** `by` is the issuer. */
export const demandWithdrawnData = z.strictObject({
  demandId: idSchema,
  by: idSchema,
  reason: longText.optional(),
  addressedTo: z.array(idSchema).min(1),
  issue: idSchema,
  ...noteShape,
});
export type DemandWithdrawn = DomainEvent<'DemandWithdrawn', z.infer<typeof demandWithdrawnData>>;

export type DemandEvent = DemandIssued | DemandRejected | DemandAccepted | DemandWithdrawn | EventRetracted;

export const demandEventSchemas = {
  DemandIssued: demandIssuedData,
  DemandRejected: demandRejectedData,
  DemandAccepted: demandAcceptedData,
  DemandWithdrawn: demandWithdrawnData,
};

// Past versions: events recorded in these shapes stay in the journal and on the topic as they are;
// readers upcast them (see ../upcasting.ts).

/** DemandRejected and DemandAccepted v1: an addressee answered once, so no answer superseded another. */
export const demandAnswerV1Data = demandAnswerData.omit({ supersedes: true });
