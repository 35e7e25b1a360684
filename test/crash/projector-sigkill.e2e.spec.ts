// Exactly-once effects: a projector process SIGKILLed mid-stream, again and again, then restarted,
// leaves every read model equal to a clean, uninterrupted run over the same events.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { cameoOf } from '#domain';
import { createKafka, EventLogProducer, ensureTopics, topicSpecs, topicsFor } from '#event-log';
import { Journal, Relay } from '#journal';
import {
  corpus, createTestDatabase, deleteTestTopics, rowCount, snapshotReadModels, spawnApp, type TestDatabase,
  testBrokers, testTopicPrefix,
} from '#testing';

const partitions = 3;

/** How far the live projections are through the topic, 0…1, by their checkpoints. */
async function progress(pool: pg.Pool, ends: Map<number, string>): Promise<number> {
  const { rows } = await pool.query<{ done: string; projections: number }>(
    `SELECT coalesce(sum(c.next_offset), 0) AS done, (SELECT count(*)::int FROM projection_status WHERE is_live) AS projections
     FROM projection_checkpoints c JOIN projection_status s ON s.projection = c.projection AND s.version = c.version AND s.is_live`);
  const total = [...ends.values()].reduce((sum, end) => sum + Number(end), 0) * rows[0]!.projections;
  return total === 0 ? 0 : Number(rows[0]!.done) / total;
}

/** Caught up when every live projection's checkpoints reach the end of every partition. */
async function caughtUpWithTopic(pool: pg.Pool, ends: Map<number, string>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ projection: string; partition: number; next_offset: string }>(
      `SELECT c.projection, c.partition, c.next_offset FROM projection_checkpoints c
       JOIN projection_status s ON s.projection = c.projection AND s.version = c.version AND s.is_live`);
    const { rows: live } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM projection_status WHERE is_live');
    const done = live[0]!.n > 0 && [...ends].every(([partition, end]) => {
      const at = rows.filter((row) => row.partition === partition);
      return at.length === live[0]!.n && at.every((row) => BigInt(row.next_offset) >= BigInt(end));
    });
    if (done) return;
    if (Date.now() > deadline) throw new Error('the projector did not reach the end of the topic');
    await sleep(100);
  }
}

describe('projector killed with SIGKILL mid-stream', () => {
  const prefix = testTopicPrefix();
  const topics = topicsFor(prefix);
  let crashed: TestDatabase;
  let clean: TestDatabase;
  let crashedPool: pg.Pool;
  let cleanPool: pg.Pool;
  let ends: Map<number, string>;

  beforeAll(async () => {
    crashed = await createTestDatabase();
    clean = await createTestDatabase();
    crashedPool = new pg.Pool({ connectionString: crashed.url });
    cleanPool = new pg.Pool({ connectionString: clean.url });
    for (const pool of [crashedPool, cleanPool]) pool.on('error', () => {});

    const kafka = createKafka(testBrokers(), 'sigkill-test');
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, topicSpecs(topics, partitions));
    const producer = new EventLogProducer(kafka);
    await producer.connect();

    // The journal of the crashed side, published to the topic both sides read.
    const journal = new Journal(crashedPool);
    for (const batch of corpus({ seed: 11, commands: 4_000 })) {
      const { rows } = await crashedPool.query<{ v: number }>('SELECT coalesce(max(stream_version), 0)::int AS v FROM journal WHERE stream_id = $1', [batch.streamId]);
      await journal.append({
        streamId: batch.streamId, expectedVersion: rows[0]!.v, respond: () => null,
        events: batch.events.map((event, index) => ({
          eventId: batch.eventIds[index]!, type: event.type, schemaVersion: event.schemaVersion, occurredAt: event.occurredAt,
          sources: event.sources, confidence: event.confidence ?? null, cameo: cameoOf(event),
          data: event.data as Record<string, unknown>, recordedBy: 'corpus', correlationId: randomUUID(), causationId: null,
        })),
      });
    }
    const relay = new Relay(crashedPool, producer, { databaseUrl: crashed.url, topic: topics.events, partitionCount: partitions });
    relay.start();
    await relay.drained(60_000);
    await relay.stop();
    await producer.disconnect();
    const offsets = await admin.fetchTopicOffsets(topics.events);
    ends = new Map(offsets.map((offset) => [offset.partition, offset.high]));
    await admin.disconnect();
  }, 180_000);

  afterAll(async () => {
    await crashedPool.end();
    await cleanPool.end();
    await crashed.drop();
    await clean.drop();
    await deleteTestTopics(prefix);
  });

  it('ends with the same read models as a clean run', async () => {
    const env = { KAFKA_BROKERS: testBrokers().join(','), CHANCERY_TOPIC_PREFIX: prefix, CHANCERY_EVENT_PARTITIONS: String(partitions) };
    const total = [...ends.values()].reduce((sum, end) => sum + Number(end), 0);

    // Kill it three times, at about 10 %, 30 % and 50 % of the way: mid-batch, wherever that falls.
    const killedAt: number[] = [];
    for (const mark of [0.1, 0.3, 0.5]) {
      const projector = spawnApp('projector', { ...env, DATABASE_URL: crashed.url, CHANCERY_CONSUMER_GROUP_PREFIX: `${prefix}-crashed` });
      const deadline = Date.now() + 60_000;
      while ((await progress(crashedPool, ends)) < mark && Date.now() < deadline) await sleep(5);
      await projector.kill('SIGKILL');
      killedAt.push(await progress(crashedPool, ends));
    }
    expect(killedAt.at(-1)).toBeLessThan(1);

    const survivor = spawnApp('projector', { ...env, DATABASE_URL: crashed.url, CHANCERY_CONSUMER_GROUP_PREFIX: `${prefix}-crashed` });
    const cleanRun = spawnApp('projector', { ...env, DATABASE_URL: clean.url, CHANCERY_CONSUMER_GROUP_PREFIX: `${prefix}-clean` });
    try {
      await caughtUpWithTopic(crashedPool, ends);
      await caughtUpWithTopic(cleanPool, ends);
    } finally {
      await survivor.kill('SIGTERM');
      await cleanRun.kill('SIGTERM');
    }

    const afterCrashes = await snapshotReadModels(crashedPool);
    const uninterrupted = await snapshotReadModels(cleanPool);
    expect(rowCount(uninterrupted)).toBeGreaterThan(total / 2);
    expect(afterCrashes).toEqual(uninterrupted);
  }, 300_000);
});
