// Builders for journal rows in tests: the smallest valid event, with what a test cares about set.
import { randomUUID } from 'node:crypto';
import type { NewEvent } from '#journal';

export function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'PositionStated',
    schemaVersion: 1,
    occurredAt: '2022-01-10',
    sources: [{ url: 'https://example.org/report' }],
    confidence: 'reported',
    cameo: null,
    data: {},
    recordedBy: 'test',
    correlationId: randomUUID(),
    causationId: null,
    ...overrides,
  };
}
