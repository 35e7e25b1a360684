// Domain events for read-side tests, with the seed article's provenance; override what a test is about.
import type { ChanceryEvent } from '#domain';

const reported = {
  schemaVersion: 1,
  sources: [{ citation: 'IRNA quoting Reuters, 12 January 2022', outlet: 'IRNA', via: 'Reuters' }],
  confidence: 'reported' as const,
};

type DataOf<Type extends ChanceryEvent['type']> = Extract<ChanceryEvent, { type: Type }>['data'];

export function development<Type extends ChanceryEvent['type']>(type: Type, occurredAt: string, data: DataOf<Type>): ChanceryEvent {
  return { type, occurredAt, ...reported, data } as ChanceryEvent;
}
