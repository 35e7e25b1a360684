import { z } from 'zod';
import { type EventRetracted } from '../retractions/retraction.events.js';
import { type DomainEvent } from '../shared/events.js';
import { idSchema, longText, noteShape, shortText, textSchema } from '../shared/fields.js';
import { stances } from '../shared/stances.js';

export const partyKinds = ['state', 'organization', 'person', 'group'] as const;
export type PartyKind = (typeof partyKinds)[number];

export const partyRegisteredData = z.strictObject({
  partyId: idSchema,
  name: shortText,
  kind: z.enum(partyKinds),
  memberOf: z.array(idSchema),
  /** For a person: the party they speak for. */
  represents: idSchema.optional(),
  role: shortText.optional(),
});
export type PartyRegistered = DomainEvent<'PartyRegistered', z.infer<typeof partyRegisteredData>>;

export const positionStatedData = z.strictObject({
  by: idSchema,
  issue: idSchema,
  stance: z.enum(stances),
  summary: longText,
  quote: textSchema(10_000).optional(),
  ...noteShape,
});
export type PositionStated = DomainEvent<'PositionStated', z.infer<typeof positionStatedData>>;

export type PartyEvent = PartyRegistered | PositionStated | EventRetracted;

export const partyEventSchemas = { PartyRegistered: partyRegisteredData, PositionStated: positionStatedData };
