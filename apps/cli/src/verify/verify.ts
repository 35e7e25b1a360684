// The work of `chancery verify`: proves the events topic holds exactly the journal's events (each
// once, or repeated identically by a relay restart), each stream in version order on its partition,
// at the partition and offset the journal recorded; and that every projection's checkpoint is
// consistent.
//
// The reads are ordered so a running system does not produce false differences:
//   1. the end of each partition (E1), then
//   2. one REPEATABLE READ snapshot of the journal and the projections' progress, then
//   3. the end again (E2), and every record below E2.
// Everything the snapshot marks published, and everything a checkpoint has passed, was on the topic
// before the snapshot, hence below E2. Every record below E1 was relayed from a row committed
// before the snapshot, hence in it; a record at or past E1 whose event the snapshot lacks was
// appended since, and is counted, not compared.
import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import pg from 'pg';
import { createKafka, topicsFor } from '#event-log';
import { envelopeColumns, envelopeOf } from '#journal';
import { checkpointDifferences, projectionSummaries } from './checkpoint-checks.js';
import { logDifferences, logStatistics, logTables } from './log-checks.js';
import { type Progress, progress } from './progress.js';
import { checkRecord, envelopeDigest, type TopicRecord } from './record-check.js';
import { readTopic } from './topic-reader.js';
import { type Difference, type VerifyReport } from './verify-report.js';

export type VerifyOptions = {
  databaseUrl: string;
  brokers: string[];
  topicPrefix: string;
  groupPrefix: string;
  /** Examples printed per kind of difference. */
  examples: number;
  /** Journal events the relay has not sent yet are reported but do not fail the run. */
  allowUnpublished: boolean;
  /** Progress lines on stderr. */
  showProgress: boolean;
};

const journalBatch = 5_000;
const silent: Progress = { add: () => {}, done: () => {} };

/** The database as it can be printed: no password. */
function databaseName(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.password = '';
  return url.toString();
}

async function insertRecords(client: pg.ClientBase, records: TopicRecord[], topic: string, partitionCount: number, newerFrom: Map<number, bigint>): Promise<void> {
  const checked = records.map((record) => checkRecord(record, topic, partitionCount));
  await client.query(
    `INSERT INTO verify_topic (partition, kafka_offset, event_id, stream_id, stream_version, digest, problem, newer)
     SELECT * FROM unnest($1::int[], $2::bigint[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::boolean[])`,
    [checked.map((row) => row.partition), checked.map((row) => row.offset), checked.map((row) => row.eventId),
      checked.map((row) => row.streamId), checked.map((row) => row.streamVersion), checked.map((row) => row.digest),
      checked.map((row) => row.problem), checked.map((row) => BigInt(row.offset) >= (newerFrom.get(row.partition) ?? 0n))]);
}

/** Streams the journal in batches through a server-side cursor: one compact row per event. */
async function loadJournal(client: pg.ClientBase, onBatch: (count: number) => void): Promise<void> {
  await client.query(`DECLARE verify_journal_rows NO SCROLL CURSOR FOR
    SELECT ${envelopeColumns}, p.global_position IS NOT NULL AS published, p.kafka_partition, p.kafka_offset
    FROM journal LEFT JOIN journal_publications p USING (global_position)`);
  for (;;) {
    const { rows } = await client.query(`FETCH ${journalBatch} FROM verify_journal_rows`);
    if (rows.length === 0) break;
    await client.query(
      `INSERT INTO verify_journal (global_position, event_id, stream_id, stream_version, published, kafka_partition, kafka_offset, digest)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::boolean[], $6::int[], $7::bigint[], $8::text[])`,
      [rows.map((row) => row.global_position), rows.map((row) => row.event_id), rows.map((row) => row.stream_id),
        rows.map((row) => row.stream_version), rows.map((row) => row.published), rows.map((row) => row.kafka_partition),
        rows.map((row) => row.kafka_offset), rows.map((row) => envelopeDigest(envelopeOf(row)))]);
    onBatch(rows.length);
  }
  await client.query('CLOSE verify_journal_rows');
}

export async function runVerify(options: VerifyOptions): Promise<VerifyReport> {
  const topic = topicsFor(options.topicPrefix).events;
  const kafka = createKafka(options.brokers, 'chancery-verify');
  const admin = kafka.admin();
  const client = new pg.Client({ connectionString: options.databaseUrl, application_name: 'chancery-verify' });
  await admin.connect();
  try {
    await client.connect();
    if (!(await admin.listTopics()).includes(topic)) throw new Error(`topic ${topic} does not exist (CHANCERY_TOPIC_PREFIX=${options.topicPrefix})`);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitionCount = metadata.topics[0]!.partitions.length;

    const before = await admin.fetchTopicOffsets(topic);
    for (const statement of logTables) await client.query(statement);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // The snapshot is taken by the transaction's first query, not by BEGIN.
    const { rows: [counts] } = await client.query<{ events: string }>('SELECT count(*) AS events FROM journal');
    const after = await admin.fetchTopicOffsets(topic);

    const newerFrom = new Map(before.map((offsets) => [offsets.partition, BigInt(offsets.high)]));
    const ranges = after.map((offsets) => ({ partition: offsets.partition, start: BigInt(offsets.low), end: BigInt(offsets.high) }));
    const totalRecords = ranges.reduce((sum, range) => sum + Number(range.end - range.start), 0);
    const topicProgress = options.showProgress ? progress(`verify: reading ${topic}`, totalRecords) : silent;
    await readTopic(kafka, {
      topic,
      groupPrefix: options.groupPrefix,
      ranges,
      onRecords: async (records) => {
        await insertRecords(client, records, topic, partitionCount, newerFrom);
        topicProgress.add(records.length);
      },
    });
    topicProgress.done();

    const journalProgress = options.showProgress ? progress('verify: reading the journal', Number(counts!.events)) : silent;
    await loadJournal(client, journalProgress.add);
    journalProgress.done();
    await client.query('ANALYZE verify_journal');
    await client.query('ANALYZE verify_topic');

    const statistics = await logStatistics(client);
    const found = [
      ...await logDifferences(client, options.examples),
      ...await checkpointDifferences(client, ranges.map((range) => ({ partition: range.partition, end: range.end })), options.examples),
    ].filter((entry): entry is Difference => entry !== undefined);
    const projections = await projectionSummaries(client);
    await client.query('COMMIT');

    const notices = options.allowUnpublished ? found.filter((entry) => entry.kind === 'awaiting-relay') : [];
    const differences = found.filter((entry) => !notices.includes(entry));
    return {
      database: databaseName(options.databaseUrl),
      topic,
      partitions: partitionCount,
      journal: statistics.journal,
      log: { ...statistics.log, endOffsets: Object.fromEntries(ranges.map((range) => [String(range.partition), range.end.toString()])) },
      projections,
      differences,
      notices,
      ok: differences.length === 0,
    };
  } finally {
    await client.end().catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}

/** kafkajs logs through Nest's Logger, which prints to stdout: here stdout is the report, so logs go to stderr. */
export class StderrLogger extends ConsoleLogger {
  protected override printMessages(messages: unknown[], context?: string, logLevel?: LogLevel, _stream?: 'stdout' | 'stderr', errorStack?: unknown): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack);
  }
}
