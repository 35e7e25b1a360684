// The runner's failure handling: a poison event is retried, then set aside (projection_failures and
// the DLQ topic) while the rest of its batch lands — or, with the halt policy, the projection stops.
import { afterEach, describe, expect, it } from '@jest/globals';
import { createKafka, decodeEnvelope, EventLogConsumer } from '#event-log';
import { development, type ProjectionHarness, startProjectionHarness, testBrokers, waitFor } from '#testing';
import type { Projection } from '../projection.js';
import { projectionOverviews } from './projection-overview.js';

/** Counts statements per party; throws on any statement whose summary says "poison". */
function touchyProjection(name: string): Projection & { attempts: () => number } {
  let attempts = 0;
  return {
    name,
    version: 1,
    tables: [`${name}_statements`],
    handles: new Set(['PositionStated']),
    setup: (schema) => [`CREATE TABLE IF NOT EXISTS ${schema}.${name}_statements (event_id uuid PRIMARY KEY, party text NOT NULL)`],
    async apply({ tx, schema, events }) {
      for (const event of events) {
        const data = event.data as { by: string; summary: string };
        if (data.summary.includes('poison')) {
          attempts++;
          throw new Error(`cannot project ${event.eventId}`);
        }
        await tx.query(`INSERT INTO ${schema}.${name}_statements VALUES ($1, $2)`, [event.eventId, data.by]);
      }
    },
    attempts: () => attempts,
  };
}

const statement = (summary: string) =>
  development('PositionStated', '2022-01-12', { by: 'RUS', issue: 'ukraine-nato-membership', stance: 'opposes', summary });


describe('projection runner failures', () => {
  let harness: ProjectionHarness;
  afterEach(() => harness.stop());

  it('retries a poison event, sets it aside with the skip policy, and applies the rest of its batch', async () => {
    const projection = touchyProjection('touchy_skip');
    harness = await startProjectionHarness({ projections: [projection], failurePolicy: 'skip' });
    const [, poison] = await harness.append('party-RUS', [statement('fine 1'), statement('poison pill'), statement('fine 2')]);
    await harness.append('party-RUS', [statement('a later statement')]);
    await harness.caughtUp();

    const { rows } = await harness.pool.query('SELECT count(*)::int AS n FROM touchy_skip_statements');
    expect(rows[0].n).toBe(3);
    expect(projection.attempts()).toBeGreaterThanOrEqual(3);
    const failures = await harness.pool.query('SELECT projection, event_id, stream_id, stream_version, error FROM projection_failures');
    expect(failures.rows).toEqual([{
      projection: 'touchy_skip', event_id: poison!.eventId, stream_id: 'party-RUS', stream_version: 2,
      error: `cannot project ${poison!.eventId}`,
    }]);

    // The DLQ topic has the original record, with where it came from.
    const consumer = new EventLogConsumer(createKafka(testBrokers(), 'dlq-reader'), `${harness.topics.eventsDlq}-reader`);
    const dead = await new Promise<{ eventId: string; headers: Record<string, string> }>((resolve) => {
      void consumer.run({
        topic: harness.topics.eventsDlq, fromBeginning: true,
        handleBatch: async (batch) => resolve({ eventId: decodeEnvelope(batch.records[0]!.value).eventId, headers: batch.records[0]!.headers }),
      });
    });
    await consumer.stop();
    expect(dead.eventId).toBe(poison!.eventId);
    expect(dead.headers['failed-projection']).toBe('touchy_skip@v1');
  });

  it('stops at a poison event with the halt policy, leaving its batch unapplied and the status halted', async () => {
    const projection = touchyProjection('touchy_halt');
    harness = await startProjectionHarness({ projections: [projection], failurePolicy: 'halt' });
    const [, poison, after] = await harness.append('party-RUS', [statement('fine'), statement('poison'), statement('never applied')]);
    await waitFor(async () => (await harness.pool.query("SELECT 1 FROM projection_status WHERE projection = 'touchy_halt' AND status = 'halted'")).rowCount === 1);

    const { rows } = await harness.pool.query('SELECT event_id FROM touchy_halt_statements');
    const applied = rows.map((row) => row.event_id);
    expect(applied).not.toContain(poison!.eventId);
    expect(applied).not.toContain(after!.eventId);
    expect((await harness.pool.query('SELECT count(*)::int AS n FROM projection_failures')).rows[0].n).toBe(1);
    expect(harness.runners[0]!.progress.halted).toBe(true);

    // The overview shows what it is behind by: the events it has not applied, all on the stream's
    // partition, and how long ago the oldest of them was recorded (an hour, once moved back).
    await harness.published();
    await harness.pool.query("UPDATE journal SET recorded_at = recorded_at - interval '1 hour'");
    const overviews = await projectionOverviews(harness.pool, createKafka(testBrokers(), 'overview-test'), harness.topics.events, 'overview-test');
    const overview = overviews.find((item) => item.name === 'touchy_halt')!;
    expect(overview).toMatchObject({ status: 'halted', failures: 1, lag: { events: 3 - applied.length } });
    const behind = overview.lag.partitions.filter((partition) => partition.events > 0);
    expect(behind).toEqual([expect.objectContaining({ events: 3 - applied.length })]);
    expect(behind[0]!.oldestUnprocessedAgeSeconds).toBeGreaterThanOrEqual(3_600);
    expect(behind[0]!.oldestUnprocessedAgeSeconds).toBeLessThan(3_660);
    expect(overview.lag.seconds).toBe(behind[0]!.oldestUnprocessedAgeSeconds);
  });
});
