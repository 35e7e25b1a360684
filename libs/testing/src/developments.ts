// Domain events for read-side tests, with the seed article's provenance; override what a test is about.
import { type ChanceryEvent, currentSchemaVersion } from '#domain';

const reported = {
  sources: [{ citation: 'IRNA quoting Reuters, 12 January 2022', outlet: 'IRNA', via: 'Reuters' }],
  confidence: 'reported' as const,
};

type DataOf<Type extends ChanceryEvent['type']> = Extract<ChanceryEvent, { type: Type }>['data'];

export function development<Type extends ChanceryEvent['type']>(type: Type, occurredAt: string, data: DataOf<Type>): ChanceryEvent {
  return { type, schemaVersion: currentSchemaVersion[type], occurredAt, ...reported, data } as ChanceryEvent;
}
