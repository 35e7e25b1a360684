import { z } from 'zod';
import { type EventRetracted } from '../retractions/retraction.events.js';
import { type DomainEvent } from '../shared/events.js';
import { idSchema, longText, noteShape } from '../shared/fields.js';

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

/** An addressee's answer, carrying the demand's issuer, addressees and issue so no reader must look them up. */
const demandAnswerData = z.strictObject({
  demandId: idSchema,
  by: idSchema,
  reason: longText.optional(),
  issuer: idSchema,
  addressedTo: z.array(idSchema).min(1),
  issue: idSchema,
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
