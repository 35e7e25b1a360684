// The event envelope (DESIGN §8): the Kafka record value, and what GET /v1/events returns.
import { type ChanceryEvent, type Recorded, upcast } from '#domain';
import type { LogRecord } from './producer.js';

export type Cameo = { code: string; root: string; quadClass: 1 | 2 | 3 | 4; goldstein: number };

export type EventEnvelope = {
  eventId: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  streamVersion: number;
  globalPosition: string;
  occurredAt: string;
  recordedAt: string;
  recordedBy: string;
  correlationId: string;
  causationId: string | null;
  sources: unknown[];
  confidence: string | null;
  cameo: Cameo | null;
  data: Record<string, unknown>;
};

export function encodeEnvelope(envelope: EventEnvelope): LogRecord {
  return {
    key: envelope.streamId,
    value: JSON.stringify(envelope),
    headers: {
      'event-type': envelope.type,
      'event-id': envelope.eventId,
      'schema-version': String(envelope.schemaVersion),
      'stream-version': String(envelope.streamVersion),
      'content-type': 'application/json',
    },
  };
}

export class MalformedEnvelope extends Error {}

export function decodeEnvelope(value: Buffer | string): EventEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString());
  } catch {
    throw new MalformedEnvelope('record value is not JSON');
  }
  const envelope = parsed as Partial<EventEnvelope>;
  if (typeof envelope?.eventId !== 'string' || typeof envelope.type !== 'string'
    || typeof envelope.streamId !== 'string' || typeof envelope.streamVersion !== 'number') {
    throw new MalformedEnvelope('record value is not an event envelope');
  }
  return envelope as EventEnvelope;
}

/**
 * An envelope as the domain folds it: upcast to the current version of its type (the journal and
 * the topic keep events as recorded). Throws `UnknownSchemaVersion` for a version newer than this code.
 */
export function recordedEventOf(envelope: EventEnvelope): Recorded<ChanceryEvent> {
  const { type, schemaVersion, data } = upcast(envelope);
  return {
    type,
    schemaVersion,
    occurredAt: envelope.occurredAt,
    sources: envelope.sources,
    ...(envelope.confidence ? { confidence: envelope.confidence } : {}),
    data,
    eventId: envelope.eventId,
    streamId: envelope.streamId,
    streamVersion: envelope.streamVersion,
    recordedAt: envelope.recordedAt,
  } as Recorded<ChanceryEvent>;
}
