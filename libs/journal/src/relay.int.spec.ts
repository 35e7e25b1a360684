import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Kafka } from 'kafkajs';
import pg from 'pg';
import { createKafka, decodeEnvelope, EventLogConsumer, EventLogProducer, ensureTopics, type EventEnvelope, topicSpecs, topicsFor } from '#event-log';
import { createTestDatabase, deleteTestTopics, newEvent, testBrokers, testTopicPrefix, type TestDatabase } from '#testing';
import { Journal } from './journal.js';
import { Relay } from './relay.js';

const partitions = 3;

describe('outbox relay to the real broker', () => {
  const prefix = testTopicPrefix();
  const topic = topicsFor(prefix).events;
  let database: TestDatabase;
  let pool: pg.Pool;
  let journal: Journal;
  let kafka: Kafka;
  let producer: EventLogProducer;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url });
    // As the server's pool does: a connection still closing when the database is dropped after the
    // tests must not surface as an unhandled error.
    pool.on('connect', (client) => client.on('error', () => {}));
    journal = new Journal(pool);
    kafka = createKafka(testBrokers(), 'relay-int');
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, topicSpecs(topicsFor(prefix), partitions));
    await admin.disconnect();
    producer = new EventLogProducer(kafka);
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await pool.end();
    await database.drop();
    await deleteTestTopics(prefix);
  });

  function relay(options: Partial<ConstructorParameters<typeof Relay>[2]> = {}) {
    return new Relay(pool, producer, { databaseUrl: database.url, topic, partitionCount: partitions, pollIntervalMs: 100, ...options });
  }

  const respond = () => null;

  async function append(streamId: string, count: number) {
    const { rows } = await pool.query<{ v: number }>('SELECT coalesce(max(stream_version), 0) AS v FROM journal WHERE stream_id = $1', [streamId]);
    return journal.append({ streamId, expectedVersion: rows[0]!.v, respond, events: Array.from({ length: count }, () => newEvent()) });
  }

  /** Reads the whole topic from the start until `count` records arrived. */
  async function readTopic(count: number): Promise<EventEnvelope[]> {
    const consumer = new EventLogConsumer(kafka, `${prefix}-reader-${Math.random()}`);
    const envelopes: EventEnvelope[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        topic, fromBeginning: true,
        handleBatch: async (batch) => {
          envelopes.push(...batch.records.map((record) => decodeEnvelope(record.value)));
          if (envelopes.length >= count) resolve();
        },
      });
    });
    await consumer.stop();
    return envelopes;
  }

  async function unpublished(): Promise<number> {
    const { rows } = await pool.query<{ count: string }>('SELECT count(*) FROM outbox');
    return Number(rows[0]!.count);
  }

  it('publishes every row with its partition and offset, keeping each stream in version order', async () => {
    for (let round = 0; round < 10; round++) {
      for (const stream of ['demand-1', 'meeting-2', 'warning-3', 'party-NATO']) await append(stream, 2);
    }
    const running = relay();
    running.start();
    await running.drained();
    await running.stop();

    const envelopes = await readTopic(80);
    expect(envelopes).toHaveLength(80);
    for (const stream of ['demand-1', 'meeting-2', 'warning-3', 'party-NATO']) {
      expect(envelopes.filter((envelope) => envelope.streamId === stream).map((envelope) => envelope.streamVersion))
        .toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    }
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM journal j
      WHERE NOT EXISTS (SELECT FROM journal_publications p WHERE p.global_position = j.global_position)`);
    expect(rows[0].n).toBe(0);
    expect(await unpublished()).toBe(0);
  });

  it('publishes a row whose transaction took an earlier position but committed after later rows were published', async () => {
    const running = relay();
    running.start();
    const slow = await pool.connect();
    await slow.query('BEGIN');
    const late = newEvent();
    // Takes its global_position now, commits later.
    await slow.query(
      `WITH appended AS (
         INSERT INTO journal (event_id, stream_id, stream_version, event_type, schema_version, occurred_at, recorded_at,
           recorded_by, correlation_id, sources, data) VALUES ($1, 'demand-late', 1, 'DemandIssued', 1, '2022-01-10', now(), 'test', 'c', '[]', '{}')
         RETURNING global_position)
       INSERT INTO outbox SELECT global_position FROM appended`,
      [late.eventId]);
    await append('demand-quick', 1);
    await running.drained();
    const { rows: quick } = await pool.query("SELECT global_position FROM journal WHERE stream_id = 'demand-quick'");
    await slow.query('COMMIT');
    slow.release();
    await running.drained();
    await running.stop();

    const { rows } = await pool.query(`SELECT global_position, p.published_at
      FROM journal LEFT JOIN journal_publications p USING (global_position) WHERE stream_id = 'demand-late'`);
    expect(Number(rows[0].global_position)).toBeLessThan(Number(quick[0].global_position));
    expect(rows[0].published_at).not.toBeNull();
    const envelopes = await readTopic(82);
    expect(envelopes.filter((envelope) => envelope.eventId === late.eventId)).toHaveLength(1);
  });

  it('publishes again a batch whose relay died between Kafka\'s ack and the mark; consumers see the same event ids', async () => {
    const before = (await readTopic(82)).length;
    const outcome = await append('demand-crash', 3);
    if (outcome.kind !== 'appended') throw new Error('expected an append');
    const crashing = relay({ afterPublish: async () => { throw new Error('killed between produce and mark'); } });
    crashing.start();
    // Kafka has the batch but the rows are still unpublished, as after a crash.
    const deadline = Date.now() + 20_000;
    while (crashing.stats.failures === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await crashing.stop();
    expect(await unpublished()).toBe(3);

    const restarted = relay();
    restarted.start();
    await restarted.drained();
    await restarted.stop();

    const envelopes = await readTopic(before + 6);
    const ofStream = envelopes.filter((envelope) => envelope.streamId === 'demand-crash');
    expect(ofStream.length).toBeGreaterThanOrEqual(6);
    const ids = outcome.events.map((event) => event.eventId);
    // Every copy carries the journal's event id and version: a consumer skips (stream, version) it has applied.
    for (const envelope of ofStream) expect(ids).toContain(envelope.eventId);
    expect(new Set(ofStream.map((envelope) => `${envelope.eventId}@${envelope.streamVersion}`)).size).toBe(3);
  });

  it('lets only one relay own the outbox', async () => {
    const first = relay();
    const second = relay();
    first.start();
    // Only once the first holds the lock does the second start, as a standby.
    while (!first.ownsOutbox) await new Promise((resolve) => setTimeout(resolve, 10));
    second.start();
    await append('demand-owned', 5);
    await first.drained();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(first.stats.published).toBe(5);
    expect(second.stats.published).toBe(0);
    await first.stop();
    // The standby takes over when the owner's session ends.
    await append('demand-owned', 2);
    await second.drained(10_000);
    expect(second.stats.published).toBe(2);
    await second.stop();
  });

  /** How long after an append its row is published, by a relay that polls only every 30 s. */
  async function wokenWithin(append: () => Promise<unknown>, running: Relay): Promise<number> {
    while (!running.ownsOutbox) await new Promise((resolve) => setTimeout(resolve, 10));
    const published = running.stats.published;
    const started = Date.now();
    await append();
    while (running.stats.published === published) {
      if (Date.now() - started > 10_000) throw new Error('the relay was not woken by the append');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return Date.now() - started;
  }

  it('is woken by an append in another process (a NOTIFY after the commit), not by its poll', async () => {
    const running = relay({ pollIntervalMs: 30_000 });
    running.start();
    // A journal on its own pool, as in another command-api: nothing wires it to this relay.
    const elsewhere = new pg.Pool({ connectionString: database.url });
    elsewhere.on('connect', (client) => client.on('error', () => {}));
    const otherJournal = new Journal(elsewhere);
    try {
      for (let round = 0; round < 3; round++) {
        expect(await wokenWithin(() => otherJournal.append({ streamId: `demand-far-${round}`, expectedVersion: 0, respond, events: [newEvent()] }), running))
          .toBeLessThan(5_000);
      }
      expect(await wokenWithin(() => otherJournal.appendMany([{ streamId: 'demand-far-many', expectedVersion: 0, events: [newEvent(), newEvent()] }]), running))
        .toBeLessThan(5_000);
    } finally {
      await running.stop();
      await elsewhere.end();
    }
  });

  it('is woken directly by appends in its own process while it owns the outbox', async () => {
    const running = relay({ pollIntervalMs: 30_000 });
    const stopWaking = journal.onAppended(() => {
      if (!running.ownsOutbox) return false;
      running.wakeUp();
      return true;
    });
    running.start();
    try {
      for (let round = 0; round < 3; round++) {
        expect(await wokenWithin(() => append(`demand-near-${round}`, 1), running)).toBeLessThan(5_000);
      }
    } finally {
      stopWaking();
      await running.stop();
    }
  });

  it('keeps up with appends that commit while it is publishing, without waiting for its poll', async () => {
    const running = relay({ pollIntervalMs: 30_000 });
    running.start();
    while (!running.ownsOutbox) await new Promise((resolve) => setTimeout(resolve, 10));
    const before = running.stats.published;
    // Many small appends from concurrent writers: wake-ups arrive while batches are in flight.
    await Promise.all(Array.from({ length: 8 }, async (_, writer) => {
      for (let index = 0; index < 15; index++) await append(`demand-busy-${writer}`, 1);
    }));
    const deadline = Date.now() + 10_000;
    while (running.stats.published - before < 120 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(running.stats.published - before).toBe(120);
    expect(await unpublished()).toBe(0);
    await running.stop();
  });

  it('vacuums the outbox as it publishes, so its read does not walk the events it published before', async () => {
    const running = relay({ vacuumIntervalMs: 0 });
    running.start();
    for (let round = 0; round < 20; round++) await append(`demand-vacuumed-${round}`, 100);
    await running.drained();
    await running.stop();

    // The relay's read of the outbox reads a page or two, not the pages of the 2,000 events before.
    const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)
      SELECT global_position FROM outbox JOIN journal USING (global_position) ORDER BY global_position LIMIT 1000`);
    const scans: Array<Record<string, unknown>> = [];
    const collect = (plan: Record<string, unknown>) => {
      if (plan['Relation Name'] === 'outbox') scans.push(plan);
      for (const child of (plan.Plans as Array<Record<string, unknown>> | undefined) ?? []) collect(child);
    };
    collect(rows[0]['QUERY PLAN'][0].Plan);
    expect(scans).toHaveLength(1);
    expect(Number(scans[0]!['Shared Hit Blocks']) + Number(scans[0]!['Shared Read Blocks'])).toBeLessThanOrEqual(2);
    const { rows: pages } = await pool.query("SELECT pg_relation_size('outbox') / current_setting('block_size')::int AS n");
    expect(Number(pages[0].n)).toBeLessThanOrEqual(1);
  });
});
