// The read side for int tests, on the real broker and database: append domain events to the
// journal, the relay publishes them, the runners project them; `caughtUp()` instead of sleeps.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { cameoOf, type ChanceryEvent } from '#domain';
import { createKafka, EventLogProducer, ensureTopics, topicSpecs, topicsFor } from '#event-log';
import { type EventEnvelope } from '#event-log';
import { Journal, Relay } from '#journal';
import { type FailurePolicy, LiveProjectionsRunner, type Projection, ProjectionRunner, projections as allProjections, setUpProjection, waitUntilCaughtUp } from '#read-models';
import { createTestDatabase } from './test-database.js';
import { deleteTestTopics, testBrokers, testTopicPrefix } from './test-kafka.js';

const partitions = 3;

export type ProjectionHarness = Awaited<ReturnType<typeof startProjectionHarness>>;

/** `together`: the projections read the topic through one reader, as the projector runs live ones (ADR 0008). */
export async function startProjectionHarness(options: { projections?: readonly Projection[]; failurePolicy?: FailurePolicy; together?: boolean } = {}) {
  const projections = options.projections ?? allProjections;
  const database = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max: 10 });
  pool.on('error', () => {}); // idle clients cut off when the test database is dropped
  const journal = new Journal(pool);
  const prefix = testTopicPrefix();
  const topics = topicsFor(prefix);
  const kafka = createKafka(testBrokers(), `harness-${prefix}`);
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topicSpecs(topics, partitions));
  await admin.disconnect();
  const producer = new EventLogProducer(kafka);
  await producer.connect();
  const relay = new Relay(pool, producer, { databaseUrl: database.url, topic: topics.events, partitionCount: partitions, pollIntervalMs: 200 });
  relay.start();

  let runners: ProjectionRunner[] = [];
  let reader: LiveProjectionsRunner | undefined;
  async function startRunners() {
    runners = [];
    for (const projection of projections) {
      const { live } = await setUpProjection(pool, projection);
      runners.push(new ProjectionRunner(projection, pool, kafka, producer, {
        topic: topics.events, dlqTopic: topics.eventsDlq, groupPrefix: prefix, generation: live,
        failurePolicy: options.failurePolicy ?? 'skip', retryBaseMs: 20,
      }));
    }
    if (options.together) {
      reader = new LiveProjectionsRunner(runners, pool, kafka, { topic: topics.events, groupPrefix: prefix });
      await reader.start();
    } else {
      await Promise.all(runners.map((runner) => runner.start()));
    }
  }
  const stopRunners = () => Promise.all([reader, ...runners].map((runner) => runner?.stop().catch(() => {})));
  await startRunners();

  /** Appends a stream's next events, as a command handler would (cameo, ids, versions). */
  async function append(streamId: string, events: ChanceryEvent[], recordedBy = 'analyst', eventIds?: string[]): Promise<EventEnvelope[]> {
    const { rows } = await pool.query<{ v: number }>(
      'SELECT coalesce(max(stream_version), 0)::int AS v FROM journal WHERE stream_id = $1', [streamId]);
    const outcome = await journal.append({
      streamId,
      expectedVersion: rows[0]!.v,
      respond: () => null,
      events: events.map((event, index) => ({
        eventId: eventIds?.[index] ?? randomUUID(), type: event.type, schemaVersion: event.schemaVersion, occurredAt: event.occurredAt,
        sources: event.sources, confidence: event.confidence ?? null, cameo: cameoOf(event),
        data: event.data as Record<string, unknown>, recordedBy, correlationId: randomUUID(), causationId: null,
      })),
    });
    if (outcome.kind !== 'appended') throw new Error('append was treated as a repeat');
    return outcome.events;
  }

  return {
    pool,
    journal,
    topics,
    databaseUrl: database.url,
    append,
    caughtUp: (timeoutMs?: number) => waitUntilCaughtUp(pool, timeoutMs),
    /** Once the relay has published everything appended so far (the outbox is empty). */
    published: (timeoutMs?: number) => relay.drained(timeoutMs),
    get runners() {
      return runners;
    },
    async restartRunners() {
      await stopRunners();
      await startRunners();
    },
    /** Stops reading the topic; the runners stay, to be handed batches directly. */
    stopReading: () => stopRunners(),
    async stop() {
      await stopRunners();
      await relay.stop();
      await producer.disconnect();
      await pool.end();
      await database.drop();
      await deleteTestTopics(prefix);
    },
  };
}
