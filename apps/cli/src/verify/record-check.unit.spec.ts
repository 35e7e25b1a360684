import { describe, expect, it } from '@jest/globals';
import { encodeEnvelope, type EventEnvelope, partitionFor } from '#event-log';
import { canonicalJson, checkRecord, envelopeDigest, type TopicRecord } from './record-check.js';

const envelope: EventEnvelope = {
  eventId: '287a2cc6-81e4-41f2-bf7d-be0547bca323', type: 'DemandRejected', schemaVersion: 1,
  streamId: 'demand-rus-no-ukraine-membership', streamVersion: 2, globalPosition: '28', occurredAt: '2022-01-12',
  recordedAt: '2022-01-12T18:00:00.000Z', recordedBy: 'analyst', correlationId: 'c1', causationId: null,
  sources: [{ citation: 'IRNA quoting Reuters', outlet: 'IRNA', via: 'Reuters' }], confidence: 'reported',
  cameo: { code: '120', root: '12', quadClass: 3, goldstein: -4 }, data: { demandId: 'rus-no-ukraine-membership', by: 'NATO', issuer: 'RUS' },
};
const topic = 'chancery.events';
const partitions = 12;
const home = partitionFor(topic, envelope.streamId, partitions);

function asRelayed(value: EventEnvelope, changes: Partial<TopicRecord> = {}): TopicRecord {
  const record = encodeEnvelope(value);
  return { partition: home, offset: '7', key: record.key, value: Buffer.from(record.value), headers: record.headers, ...changes };
}

describe('canonical JSON and the content digest', () => {
  it('sorts keys at every depth, so jsonb\'s key order and the relay\'s give one text', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"e":null,"f":1}]},"b":1}');
    expect(envelopeDigest({ ...envelope, data: { issuer: 'RUS', by: 'NATO', demandId: 'rus-no-ukraine-membership' } })).toBe(envelopeDigest(envelope));
  });

  it('drops undefined fields as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });

  it('changes with any field of the envelope', () => {
    expect(envelopeDigest({ ...envelope, recordedAt: '2022-01-12T18:00:00.001Z' })).not.toBe(envelopeDigest(envelope));
    expect(envelopeDigest({ ...envelope, data: { ...envelope.data, reason: 'open door' } })).not.toBe(envelopeDigest(envelope));
  });
});

describe('checking a topic record', () => {
  it('reads what the relay sent as a well-formed copy: its event, stream, version and digest', () => {
    expect(checkRecord(asRelayed(envelope), topic, partitions)).toEqual({
      partition: home, offset: '7', eventId: envelope.eventId, streamId: envelope.streamId, streamVersion: 2,
      digest: envelopeDigest(envelope), problem: null,
    });
  });

  it('names a key that is not the stream id, a header that disagrees, and a partition the stream does not map to', () => {
    const record = asRelayed(envelope, { key: 'party-RUS', partition: (home + 1) % partitions });
    delete record.headers['schema-version'];
    record.headers['event-type'] = 'DemandAccepted';
    const { problem } = checkRecord(record, topic, partitions);
    expect(problem).toContain('key "party-RUS" is not its stream id "demand-rus-no-ukraine-membership"');
    expect(problem).toContain('header event-type is "DemandAccepted", the envelope says "DemandRejected"');
    expect(problem).toContain('header schema-version is missing');
    expect(problem).toContain(`stream demand-rus-no-ukraine-membership belongs on partition ${home}, not ${(home + 1) % partitions}`);
  });

  it('keeps the event id of a record that is not an envelope, with a digest no journal event can have', () => {
    const checked = checkRecord(asRelayed(envelope, { value: Buffer.from('{"truncated') }), topic, partitions);
    expect(checked).toMatchObject({ eventId: envelope.eventId, streamId: null, streamVersion: null, problem: 'record value is not JSON' });
    expect(checked.digest).toMatch(/^undecodable:/);
  });

  it('does not take a fractional or zero stream version for a stream position', () => {
    const checked = checkRecord(asRelayed({ ...envelope, streamVersion: 1.5 }), topic, partitions);
    expect(checked.streamId).toBeNull();
    expect(checked.problem).toContain('stream version 1.5 is not a whole number ≥ 1');
  });

  it('escapes a NUL in an id, which Postgres text cannot hold, instead of failing the run', () => {
    const checked = checkRecord(asRelayed({ ...envelope, eventId: 'evil\u0000id' }), topic, partitions);
    expect(checked.eventId).toBe('evil\\u0000id');
  });
});
