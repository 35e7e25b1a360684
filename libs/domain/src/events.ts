// Every event Chancery records, and the schemas that say what a valid one is.
import { z } from 'zod';
import { type CodedDevelopmentEvent, codedDevelopmentEventSchemas } from './coded-developments/coded-development.events.js';
import { type DemandEvent, demandEventSchemas } from './demands/demand.events.js';
import { type IssueEvent, issueEventSchemas } from './issues/issue.events.js';
import { type MeetingEvent, meetingEventSchemas } from './meetings/meeting.events.js';
import { type PartyEvent, partyEventSchemas } from './parties/party.events.js';
import { type ProposalEvent, proposalEventSchemas } from './proposals/proposal.events.js';
import { retractionEventSchemas } from './retractions/retraction.events.js';
import { confidenceSchema, instantSchema, sourceSchema } from './shared/development.js';
import { bookkeepingEventTypes, chanceryEventTypes, currentSchemaVersion } from './shared/event-types.js';
import { type WarningEvent, warningEventSchemas } from './warnings/warning.events.js';

export type ChanceryEvent = PartyEvent | IssueEvent | DemandEvent | MeetingEvent | WarningEvent | ProposalEvent | CodedDevelopmentEvent;
export type ChanceryEventType = ChanceryEvent['type'];

// The list of type names and the union must name the same types.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const _typeNamesMatch: Same<ChanceryEventType, (typeof chanceryEventTypes)[number]> = true;

export { chanceryEventTypes, currentSchemaVersion };

/** The `data` of each event type, strict: an unknown field is an error. */
export const eventSchemas: Record<ChanceryEventType, z.ZodType> = {
  ...partyEventSchemas,
  ...issueEventSchemas,
  ...demandEventSchemas,
  ...meetingEventSchemas,
  ...warningEventSchemas,
  ...proposalEventSchemas,
  ...codedDevelopmentEventSchemas,
  ...retractionEventSchemas,
};

function domainEventSchema(type: ChanceryEventType): z.ZodType {
  const bookkeeping = (bookkeepingEventTypes as readonly string[]).includes(type);
  return z
    .strictObject({
      type: z.literal(type),
      schemaVersion: z.literal(currentSchemaVersion[type]),
      occurredAt: instantSchema.describe('Valid time: when it happened, a date (YYYY-MM-DD) or a timestamp with offset'),
      // Registrations and retractions are the system's own record: they cite no source.
      sources: (bookkeeping ? z.array(sourceSchema) : z.array(sourceSchema).min(1)).describe(
        'The reports of the development; each has a url or a citation',
      ),
      confidence: confidenceSchema.optional(),
      data: eventSchemas[type],
    })
    .meta({
      $id: `https://chancery.dev/schemas/${type}.v${currentSchemaVersion[type]}.json`,
      title: `${type} v${currentSchemaVersion[type]}`,
    });
}

/** A whole event as deciders produce it (before the journal adds ids and versions), at its current schema version. */
export const domainEventSchemas = Object.fromEntries(
  chanceryEventTypes.map((type) => [type, domainEventSchema(type)]),
) as Record<ChanceryEventType, z.ZodType>;
