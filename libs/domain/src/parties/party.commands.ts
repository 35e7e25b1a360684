import { z } from 'zod';
import { type Command } from '../shared/commands.js';
import { provenanceShape } from '../shared/development.js';
import { idListSchema, idSchema, longText, shortText, textSchema } from '../shared/fields.js';
import { type Reference, issueAt, partiesAt, partyAt } from '../shared/references.js';
import { stances } from '../shared/stances.js';
import { partyKinds } from './party.events.js';

export const registerPartyData = z.strictObject({
  id: idSchema,
  name: shortText,
  kind: z.enum(partyKinds),
  memberOf: idListSchema(0).optional(),
  represents: idSchema.optional(),
  role: shortText.optional(),
});
export type RegisterParty = Command<'RegisterParty', z.infer<typeof registerPartyData>>;

/** Recorded in the stream of the stating party (`party-<by>`). */
export const statePositionData = z.strictObject({
  by: idSchema,
  issue: idSchema,
  stance: z.enum(stances),
  summary: longText,
  quote: textSchema(10_000).optional(),
  ...provenanceShape,
});
export type StatePosition = Command<'StatePosition', z.infer<typeof statePositionData>>;

export type PartyCommand = RegisterParty | StatePosition;

export const partyCommandSchemas = { RegisterParty: registerPartyData, StatePosition: statePositionData };

export function partyReferences(command: PartyCommand): Reference[] {
  switch (command.type) {
    case 'RegisterParty': {
      const { memberOf = [], represents } = command.data;
      return [...partiesAt('memberOf', memberOf), ...(represents === undefined ? [] : [partyAt('represents', represents)])];
    }
    case 'StatePosition':
      return [partyAt('by', command.data.by), issueAt('issue', command.data.issue)];
  }
}
