// `chancery verify` run as a process against a real stack: clean after the seed article went through
// the API, still clean after the relay really re-sent rows it could not mark; then each kind of
// difference made for real (rows altered, deleted or mis-marked in the journal, checkpoints moved,
// records produced onto the topic) is named in the report and fails the run.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { createKafka, encodeEnvelope, type EventEnvelope, EventLogProducer, partitionFor } from '#event-log';
import { Journal, type NewEvent } from '#journal';
import { client, deleteTestTopics, startTestApp, type TestApp, testBrokers, waitFor } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';
import { type CliRun, runCli } from './run-cli.js';

const adminKey = 'verify-admin-key-0000000000';
const seed = readFileSync(new URL('../../demo/seed-article.ndjson', import.meta.url), 'utf8');

/** The kinds of difference a text report lists, with their counts. */
function differences(run: CliRun): Record<string, number> {
  return Object.fromEntries([...run.stdout.matchAll(/^✗ ([a-z-]+): (\d+)/gm)].map((match) => [match[1]!, Number(match[2])]));
}

describe('chancery verify', () => {
  let served: TestApp;
  let db: pg.Pool;
  let journal: Journal;
  let env: Record<string, string>;
  let topic: string;
  const partitions = 3;
  let appRunning = true;
  let producer: EventLogProducer;
  let liveProjections: number;

  const verify = (...args: string[]) => runCli(['verify', ...args], env);

  async function endOffsets(): Promise<Map<number, bigint>> {
    const admin = createKafka(testBrokers(), 'verify-test-offsets').admin();
    await admin.connect();
    try {
      return new Map((await admin.fetchTopicOffsets(topic)).map((offsets) => [offsets.partition, BigInt(offsets.high)]));
    } finally {
      await admin.disconnect();
    }
  }

  type JournalEvent = { global_position: string; event_id: string; stream_id: string; stream_version: number; kafka_partition: number; kafka_offset: string };

  /** One journal event, with where the relay recorded it in Kafka: `sql` selects from `published`. */
  async function eventOf(sql: string): Promise<JournalEvent> {
    const { rows } = await db.query(`WITH published AS (SELECT * FROM journal JOIN journal_publications USING (global_position)) ${sql}`);
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  /** Records an event as published at this partition and offset, as the relay does. */
  async function markPublished(globalPosition: string, partition: number, offset: bigint | string): Promise<void> {
    await db.query(`WITH sent AS (DELETE FROM outbox WHERE global_position = $1 RETURNING global_position)
      INSERT INTO journal_publications SELECT $2, $3, global_position, now() FROM sent`, [globalPosition, partition, offset.toString()]);
  }

  /** Appends events to the journal as a command would, without any relay running to publish them. */
  async function appendUnpublished(streamId: string, data: Array<Record<string, unknown>>): Promise<EventEnvelope[]> {
    const { rows } = await db.query<{ v: number }>('SELECT coalesce(max(stream_version), 0)::int AS v FROM journal WHERE stream_id = $1', [streamId]);
    const events: NewEvent[] = data.map((item) => ({
      eventId: randomUUID(), type: 'PositionStated', schemaVersion: 1, occurredAt: '2022-01-13',
      sources: [{ citation: 'verify test' }], confidence: 'reported', cameo: { code: '010', root: '01', quadClass: 1, goldstein: 0 },
      data: item, recordedBy: 'verify-test', correlationId: randomUUID(), causationId: null,
    }));
    const outcome = await journal.append({ streamId, expectedVersion: rows[0]!.v, events, respond: () => null });
    if (outcome.kind !== 'appended') throw new Error('not appended');
    return outcome.events;
  }

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey, CHANCERY_EVENT_PARTITIONS: String(partitions) });
    topic = `${served.config.kafka.topicPrefix}.events`;
    env = { DATABASE_URL: served.database.url, KAFKA_BROKERS: testBrokers().join(','), CHANCERY_TOPIC_PREFIX: served.config.kafka.topicPrefix };
    db = new pg.Pool({ connectionString: served.database.url });
    db.on('error', () => {});
    journal = new Journal(db);
    const writer = client(served.baseUrl, adminKey);
    const imported = await writer.post('/v1/import', seed, { 'content-type': 'application/x-ndjson' });
    expect(imported.status).toBe(200);
    expect(imported.body.rejected).toEqual([]);
    // Read back through the API with the import's token: every live read model has applied it all.
    expect((await writer.get('/v1/parties', { 'x-consistency-token': imported.body.consistencyToken })).status).toBe(200);
    liveProjections = (await db.query('SELECT count(*)::int AS n FROM projection_status WHERE is_live')).rows[0].n;
    expect(liveProjections).toBeGreaterThan(0);
    producer = new EventLogProducer(createKafka(testBrokers(), 'verify-test-producer'));
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await db?.end();
    if (appRunning) await served?.app.close();
    await served?.database.drop();
    await deleteTestTopics(served.config.kafka.topicPrefix);
  });

  describe('on a running stack', () => {
    it('finds nothing to report after the seed article went through the API: exit 0 and the counts', async () => {
      const run = await verify();
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const { rows } = await db.query<{ events: number; streams: number }>('SELECT count(*)::int AS events, count(DISTINCT stream_id)::int AS streams FROM journal');
      expect(run.stdout).toContain(`journal   ${rows[0]!.events} events in ${rows[0]!.streams} streams: ${rows[0]!.events} published`);
      expect(run.stdout).toContain(`${rows[0]!.events} journal events on it`);
      expect(run.stdout).toContain('0 duplicate copies of 0 events');
      expect(run.stdout.match(/^ {2}\S+ v\d+ live: \d+ partition checkpoints, \d+ streams applied$/gm)).toHaveLength(liveProjections);
      expect(run.stdout).toContain('OK: the topic holds exactly the journal\'s events');
    });

    it('accepts the identical copies a relay re-sends when it could not mark a batch, and counts them', async () => {
      // What a relay that died between Kafka's acknowledgement and the mark leaves: rows that are on
      // the topic but not marked. The running relay sends them again.
      const { rowCount } = await db.query(`WITH unmarked AS (
          DELETE FROM journal_publications WHERE global_position IN (SELECT global_position FROM journal ORDER BY global_position DESC LIMIT 5)
          RETURNING global_position)
        INSERT INTO outbox SELECT global_position FROM unmarked`);
      expect(rowCount).toBe(5);
      await waitFor(async () => (await db.query('SELECT FROM outbox')).rowCount === 0);
      const run = await verify();
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('5 duplicate copies of 5 events (identical');
      expect(run.stdout).toContain('OK: the topic holds exactly the journal\'s events');
    });
  });

  describe('with the stack stopped, each difference made for real', () => {
    beforeAll(async () => {
      await served.app.close();
      appRunning = false;
    });

    /** Runs `check` while `change` has altered the rows of `table` matching `where`; then puts them back as they were. */
    async function whileChanged(table: string, where: string, params: unknown[], change: string, check: () => Promise<void>): Promise<void> {
      await db.query(`CREATE TABLE saved_rows (LIKE ${table})`);
      try {
        await db.query(`INSERT INTO saved_rows SELECT * FROM ${table} WHERE ${where}`, params);
        expect((await db.query('SELECT count(*)::int AS n FROM saved_rows')).rows[0].n).toBeGreaterThan(0);
        await db.query(change, params);
        await check();
      } finally {
        await db.query(`DELETE FROM ${table} WHERE ${where}`, params);
        await db.query(`INSERT INTO ${table} SELECT * FROM saved_rows`);
        await db.query('DROP TABLE saved_rows');
      }
    }

    describe('in the journal and the projections\' progress (each undone afterwards)', () => {
      it('names a journal event whose content changed after it was published', async () => {
        const event = await eventOf("SELECT * FROM published WHERE event_type = 'DemandIssued' ORDER BY global_position LIMIT 1");
        await whileChanged('journal', 'event_id = $1', [event.event_id],
          `UPDATE journal SET data = jsonb_set(data, '{summary}', '"altered afterwards"') WHERE event_id = $1`, async () => {
            const run = await verify();
            expect(run.code).toBe(1);
            expect(differences(run)).toEqual({ 'differing-copy': 1 });
            expect(run.stdout).toContain(
              `partition ${event.kafka_partition} offset ${event.kafka_offset}: a copy of event ${event.event_id} (${event.stream_id} v1, journal position`);
          });
      });

      it('names a topic event deleted from the journal, and the projections that applied a stream version the journal no longer has', async () => {
        const event = await eventOf(`SELECT * FROM published j WHERE stream_version > 1
          AND stream_version = (SELECT max(stream_version) FROM journal WHERE stream_id = j.stream_id)
          AND global_position < (SELECT max(global_position) - 5 FROM journal) ORDER BY global_position LIMIT 1`); // not one of the re-sent rows
        await whileChanged('journal', 'event_id = $1', [event.event_id], 'DELETE FROM journal WHERE event_id = $1', async () => {
          const run = await verify();
          expect(run.code).toBe(1);
          expect(differences(run)).toEqual({ 'not-in-journal': 1, 'stream-ahead-of-journal': liveProjections });
          expect(run.stdout).toContain(`partition ${event.kafka_partition} offset ${event.kafka_offset}: event ${event.event_id} (${event.stream_id} v${event.stream_version})`);
          expect(run.stdout).toContain(`${event.stream_id} applied up to version ${event.stream_version}, the journal ends at version ${event.stream_version - 1}`);
        });
      });

      it('names a journal event recorded at an offset that holds no copy of it', async () => {
        const event = await eventOf('SELECT * FROM published ORDER BY global_position LIMIT 1 OFFSET 3');
        // Each offset records one event, so the wrong one is past the partition's end.
        const elsewhere = (await endOffsets()).get(event.kafka_partition)! + 10n;
        await whileChanged('journal_publications', 'global_position = $1', [event.global_position],
          `UPDATE journal_publications SET kafka_offset = ${elsewhere} WHERE global_position = $1`, async () => {
            const run = await verify();
            expect(run.code).toBe(1);
            expect(differences(run)).toEqual({ 'wrong-position': 1 });
            expect(run.stdout).toContain(`event ${event.event_id} (${event.stream_id} v${event.stream_version}, journal position`);
            expect(run.stdout).toContain(`the journal says partition ${event.kafka_partition} offset ${elsewhere}, which holds no record; its copies are at ${event.kafka_partition}:${event.kafka_offset}`);
          });
      });

      it('names a journal event the relay never sent (unless told to allow it), and one marked published that the topic does not have', async () => {
        const [event] = await appendUnpublished('party-NATO', [{ by: 'NATO', issue: 'nato-open-door', stance: 'supports', summary: 'never relayed' }]);
        try {
          const run = await verify();
          expect(run.code).toBe(1);
          expect(differences(run)).toEqual({ 'awaiting-relay': 1 });
          expect(run.stdout).toContain(`event ${event!.eventId} (party-NATO v${event!.streamVersion}`);

          const allowed = await verify('--allow-unpublished');
          expect(allowed.code).toBe(0);
          expect(allowed.stdout).toMatch(/^! awaiting-relay: 1 /m);

          const home = partitionFor(topic, 'party-NATO', partitions);
          const end = (await endOffsets()).get(home)!;
          await markPublished(event!.globalPosition, home, end);
          const marked = await verify();
          expect(marked.code).toBe(1);
          expect(differences(marked)).toEqual({ 'missing-from-topic': 1 });
          expect(marked.stdout).toContain(`event ${event!.eventId} (party-NATO v${event!.streamVersion}, journal position ${event!.globalPosition}): the journal says partition ${home} offset ${end}`);
        } finally {
          await db.query('DELETE FROM journal WHERE event_id = $1', [event!.eventId]);
          await db.query('DELETE FROM journal_publications WHERE global_position = $1', [event!.globalPosition]);
        }
      });

      it('names a checkpoint past the end of its partition', async () => {
        const ends = await endOffsets();
        const checkpoint = (await db.query(`SELECT c.* FROM projection_checkpoints c JOIN projection_status s USING (projection, version)
          WHERE s.is_live ORDER BY c.projection, c.partition LIMIT 1`)).rows[0];
        await whileChanged('projection_checkpoints', 'projection = $1 AND version = $2 AND partition = $3', [checkpoint.projection, checkpoint.version, checkpoint.partition],
          `UPDATE projection_checkpoints SET next_offset = ${ends.get(checkpoint.partition)! + 5n} WHERE projection = $1 AND version = $2 AND partition = $3`, async () => {
            const run = await verify();
            expect(run.code).toBe(1);
            expect(differences(run)).toEqual({ 'checkpoint-beyond-end': 1 });
            expect(run.stdout).toContain(`${checkpoint.projection} v${checkpoint.version}: partition ${checkpoint.partition} checkpoint at offset ${ends.get(checkpoint.partition)! + 5n}, but the partition ends at ${ends.get(checkpoint.partition)}`);
          });
      });

      it('names the streams a projection applied beyond its checkpoint, and the stream versions a checkpoint passed unapplied', async () => {
        const stream = await eventOf(`SELECT j.*, p.projection FROM published j JOIN projection_streams p ON p.stream_id = j.stream_id AND p.last_version = j.stream_version
          JOIN projection_status s ON s.projection = p.projection AND s.version = p.version AND s.is_live
          WHERE j.stream_version > 1 ORDER BY p.projection, j.global_position LIMIT 1`) as Awaited<ReturnType<typeof eventOf>> & { projection: string };
        const { rows: [generation] } = await db.query('SELECT version FROM projection_status WHERE projection = $1 AND is_live', [stream.projection]);
        const streamsOnPartition = (await db.query(`SELECT count(DISTINCT stream_id)::int AS n FROM journal JOIN journal_publications USING (global_position)
          WHERE kafka_partition = $1`, [stream.kafka_partition])).rows[0].n;

        await whileChanged('projection_checkpoints', 'projection = $1 AND version = $2 AND partition = $3', [stream.projection, generation.version, stream.kafka_partition],
          'UPDATE projection_checkpoints SET next_offset = 0 WHERE projection = $1 AND version = $2 AND partition = $3', async () => {
            const run = await verify('--examples', '1000');
            expect(run.code).toBe(1);
            expect(differences(run)).toEqual({ 'applied-beyond-checkpoint': streamsOnPartition });
            expect(run.stdout).toMatch(new RegExp(`${stream.projection} v${generation.version}: ${stream.stream_id} applied up to version ${stream.stream_version}, whose copies at ${stream.kafka_partition}:\\d+ \\(checkpoint 0\\) are not below the checkpoint`));
          });

        await whileChanged('projection_streams', 'projection = $1 AND version = $2 AND stream_id = $3', [stream.projection, generation.version, stream.stream_id],
          'UPDATE projection_streams SET last_version = last_version - 1 WHERE projection = $1 AND version = $2 AND stream_id = $3', async () => {
            const run = await verify();
            expect(run.code).toBe(1);
            expect(differences(run)).toEqual({ 'checkpoint-skipped-events': 1 });
            expect(run.stdout).toMatch(new RegExp(`${stream.projection} v${generation.version}: partition ${stream.kafka_partition} checkpoint \\d+ has passed ${stream.stream_id} version ${stream.stream_version}, but the projection applied it only up to version ${stream.stream_version - 1}`));
          });
      });

      it('is clean again once every change is undone', async () => {
        const run = await verify();
        expect(run.code).toBe(0);
        expect(differences(run)).toEqual({});
      });
    });

    // Kafka records cannot be taken back: these build on each other, each naming what it added.
    describe('on the topic (cumulative)', () => {
      it('names a stream whose events reached its partition out of version order', async () => {
        const appended = await appendUnpublished('party-RUS', [
          { by: 'RUS', issue: 'nato-open-door', stance: 'opposes', summary: 'first' },
          { by: 'RUS', issue: 'nato-open-door', stance: 'rejects', summary: 'second' },
        ]);
        const reversed = [...appended].reverse();
        const positions = await producer.publish(topic, partitions, reversed.map(encodeEnvelope));
        for (const [index, envelope] of reversed.entries()) {
          await markPublished(envelope.globalPosition, positions[index]!.partition, positions[index]!.offset);
        }
        const run = await verify();
        expect(run.code).toBe(1);
        expect(differences(run)).toEqual({ 'out-of-order': 1 });
        const [first, second] = appended;
        expect(run.stdout).toContain(`party-RUS on partition ${positions[0]!.partition}: version ${first!.streamVersion} (event ${first!.eventId}) at offset ` +
          `${positions[1]!.offset} comes after version ${second!.streamVersion} at offset ${positions[0]!.offset}`);
      });

      it('names a copy of a journal event with other content', async () => {
        const event = await eventOf("SELECT * FROM published WHERE event_type = 'WarningGiven' ORDER BY global_position LIMIT 1");
        const [envelope] = await journal.readStream(event.stream_id);
        const [position] = await producer.publish(topic, partitions, [encodeEnvelope({ ...envelope!, data: { ...envelope!.data, severity: 'low', consequence: 'tampered' } })]);
        const run = await verify();
        expect(run.code).toBe(1);
        expect(differences(run)).toEqual({ 'out-of-order': 1, 'differing-copy': 1 });
        expect(run.stdout).toContain(`partition ${position!.partition} offset ${position!.offset}: a copy of event ${event.event_id} (${event.stream_id} v1`);
      });

      it('names an event on the topic that the journal never had, and a record that is no event at all', async () => {
        const [template] = await journal.readStream('party-USA');
        const foreign: EventEnvelope = { ...template!, eventId: randomUUID(), streamId: 'party-XYZ', globalPosition: '999999', data: { id: 'XYZ', name: 'Nowhere', kind: 'state' } };
        const [foreignAt] = await producer.publish(topic, partitions, [encodeEnvelope(foreign)]);
        const [junkAt] = await producer.publish(topic, partitions, [{ key: 'party-USA', value: 'not json', headers: { 'content-type': 'text/plain' } }]);

        const run = await verify();
        expect(run.code).toBe(1);
        expect(differences(run)).toEqual({ 'out-of-order': 1, 'differing-copy': 1, 'not-in-journal': 1, 'malformed-record': 1 });
        expect(run.stdout).toContain(`partition ${foreignAt!.partition} offset ${foreignAt!.offset}: event ${foreign.eventId} (party-XYZ v1)`);
        expect(run.stdout).toContain(`partition ${junkAt!.partition} offset ${junkAt!.offset}: record value is not JSON`);
      });

      it('gives the same report as JSON', async () => {
        const run = await verify('--json');
        expect(run.code).toBe(1);
        const report = JSON.parse(run.stdout);
        expect(report.ok).toBe(false);
        expect(report.topic).toBe(topic);
        expect(report.differences.map((found: { kind: string; count: number }) => [found.kind, found.count])).toEqual([
          ['not-in-journal', 1], ['differing-copy', 1], ['malformed-record', 1], ['out-of-order', 1],
        ]);
        expect(report.log.duplicateCopies).toBe(5);
      });
    });
  });
});
