// One topic record or journal row reduced to what `chancery verify` compares: the event it carries,
// a digest of its content, and what is wrong with it as a record. The comparison itself runs in SQL
// over these compact rows, so no whole envelope is held in memory.
import { createHash } from 'node:crypto';
import { decodeEnvelope, encodeEnvelope, type EventEnvelope, partitionFor } from '#event-log';

export type TopicRecord = {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
};

export type CheckedRecord = {
  partition: number;
  offset: string;
  eventId: string | null;
  streamId: string | null;
  streamVersion: number | null;
  digest: string;
  /** Why the record is not a well-formed copy of an event (envelope, key, headers, partition); null when it is. */
  problem: string | null;
};

/** JSON with object keys sorted: two encodings of the same data give the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(',')}}`;
}

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('base64url');
}

/**
 * The digest of an envelope's content. The relay sends JSON.stringify(envelope); jsonb may hand the
 * same data back with its keys in another order, so the digest is over canonical JSON.
 */
export function envelopeDigest(envelope: EventEnvelope | Record<string, unknown>): string {
  return sha256(canonicalJson(JSON.parse(JSON.stringify(envelope))));
}

/** Postgres text cannot hold NUL; an id with one cannot match the journal's anyway, but must not stop the run. */
function storable(text: string | undefined): string | null {
  return text === undefined ? null : text.replaceAll('\0', '\\u0000');
}

/** Postgres integer: a stream version outside it cannot be one the journal holds. */
function isStreamVersion(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) > 0 && (value as number) <= 2_147_483_647;
}

export function checkRecord(record: TopicRecord, topic: string, partitionCount: number): CheckedRecord {
  const position = { partition: record.partition, offset: record.offset };
  let envelope: EventEnvelope;
  try {
    envelope = decodeEnvelope(record.value);
  } catch (error) {
    // Still a copy of an event if its header names one: its content then differs from the journal's.
    return {
      ...position, eventId: storable(record.headers['event-id']), streamId: null, streamVersion: null,
      digest: `undecodable:${sha256(record.value)}`, problem: (error as Error).message,
    };
  }
  const problems: string[] = [];
  if (!isStreamVersion(envelope.streamVersion)) problems.push(`stream version ${JSON.stringify(envelope.streamVersion)} is not a whole number ≥ 1`);
  if (record.key !== envelope.streamId) problems.push(`key ${JSON.stringify(record.key)} is not its stream id ${JSON.stringify(envelope.streamId)}`);
  for (const [name, expected] of Object.entries(encodeEnvelope(envelope).headers)) {
    const actual = record.headers[name];
    if (actual !== expected) problems.push(`header ${name} is ${actual === undefined ? 'missing' : JSON.stringify(actual)}, the envelope says ${JSON.stringify(expected)}`);
  }
  const home = partitionFor(topic, envelope.streamId, partitionCount);
  if (home !== record.partition) problems.push(`stream ${envelope.streamId} belongs on partition ${home}, not ${record.partition}`);
  return {
    ...position,
    eventId: storable(envelope.eventId),
    streamId: isStreamVersion(envelope.streamVersion) ? storable(envelope.streamId) : null,
    streamVersion: isStreamVersion(envelope.streamVersion) ? envelope.streamVersion : null,
    digest: envelopeDigest(envelope),
    problem: problems.length > 0 ? problems.join('; ') : null,
  };
}
