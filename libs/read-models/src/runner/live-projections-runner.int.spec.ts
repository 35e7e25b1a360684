// Live projections reading the topic together (ADR 0008): each still has its own checkpoint, its
// own exactly-once bookkeeping and its own failure handling.
import { afterEach, describe, expect, it } from '@jest/globals';
import { encodeEnvelope, type EventEnvelope } from '#event-log';
import { development, type ProjectionHarness, startProjectionHarness, waitFor } from '#testing';
import type { Projection } from '../projection.js';
import { applyTogether, decodeRecord } from './projection-runner.js';

/**
 * Records every statement it is given, with no unique key: a statement applied twice shows as two
 * rows. Throws on a statement whose summary says "poison" when `touchy`.
 */
function statementsProjection(name: string, touchy = false): Projection {
  return {
    name,
    version: 1,
    tables: [`${name}_statements`],
    handles: new Set(['PositionStated']),
    setup: (schema) => [`CREATE TABLE IF NOT EXISTS ${schema}.${name}_statements (event_id uuid NOT NULL, summary text NOT NULL)`],
    async apply({ tx, schema, events }) {
      for (const event of events) {
        const { summary } = event.data as { summary: string };
        if (touchy && summary.includes('poison')) throw new Error(`cannot project ${event.eventId}`);
        await tx.query(`INSERT INTO ${schema}.${name}_statements VALUES ($1, $2)`, [event.eventId, summary]);
      }
    },
  };
}

const statement = (summary: string) =>
  development('PositionStated', '2022-01-12', { by: 'RUS', issue: 'ukraine-nato-membership', stance: 'opposes', summary });

async function summaries(harness: ProjectionHarness, table: string): Promise<string[]> {
  const { rows } = await harness.pool.query<{ summary: string }>(`SELECT summary FROM ${table} ORDER BY summary`);
  return rows.map((row) => row.summary);
}


describe('live projections reading together', () => {
  let harness: ProjectionHarness;
  afterEach(() => harness.stop());

  it('a projection halted by a poison event leaves the others applying every event', async () => {
    harness = await startProjectionHarness({
      projections: [statementsProjection('steady'), statementsProjection('fragile', true)], failurePolicy: 'halt', together: true,
    });
    await harness.append('party-RUS', [statement('a fine one'), statement('b poison'), statement('c after the poison')]);
    await harness.append('party-RUS', [statement('d later still')]);
    await waitFor(async () => (await harness.pool.query("SELECT 1 FROM projection_status WHERE projection = 'fragile' AND status = 'halted'")).rowCount === 1);
    await waitFor(async () => (await summaries(harness, 'steady_statements')).length === 4);

    expect(await summaries(harness, 'steady_statements')).toEqual(['a fine one', 'b poison', 'c after the poison', 'd later still']);
    // The halted one stopped at its poison batch: nothing of that batch, nothing after it.
    expect(await summaries(harness, 'fragile_statements')).not.toContain('c after the poison');
    expect(await summaries(harness, 'fragile_statements')).not.toContain('d later still');
    const [steady, fragile] = harness.runners;
    expect(steady!.progress.halted).toBe(false);
    expect(fragile!.progress.halted).toBe(true);
  });

  it('starts each partition at the lowest checkpoint: a projection behind catches up, one ahead applies nothing twice', async () => {
    harness = await startProjectionHarness({ projections: [statementsProjection('ahead'), statementsProjection('behind')], together: true });
    await harness.append('party-RUS', [statement('first'), statement('second')]);
    await harness.append('party-NATO', [statement('third')]);
    await harness.caughtUp();

    // `behind` forgets everything, as a projection whose read model was lost would.
    await harness.pool.query("DELETE FROM projection_checkpoints WHERE projection = 'behind'");
    await harness.pool.query("DELETE FROM projection_streams WHERE projection = 'behind'");
    await harness.pool.query('TRUNCATE projection_behind_v1.behind_statements');
    await harness.restartRunners();
    await harness.append('party-RUS', [statement('fourth')]);
    await harness.caughtUp();

    expect(await summaries(harness, 'behind_statements')).toEqual(['first', 'fourth', 'second', 'third']);
    expect(await summaries(harness, 'ahead_statements')).toEqual(['first', 'fourth', 'second', 'third']);
    const [ahead, behind] = harness.runners;
    expect(ahead!.progress.applied).toBe(1);
    expect(behind!.progress.applied).toBe(4);
  });

  /**
   * Hands the event, as its partition's batch from where the relay published it, to two readers at
   * once (the harness's runners applying it together, twice concurrently); what each answered.
   */
  async function handToTwoReadersAtOnce(envelope: EventEnvelope): Promise<boolean[]> {
    await harness.published();
    const { rows: [published] } = await harness.pool.query<{ kafka_partition: number; kafka_offset: string }>(
      'SELECT kafka_partition, kafka_offset FROM journal_publications WHERE global_position = $1', [envelope.globalPosition]);
    const { key, value, headers } = encodeEnvelope(envelope);
    const record = { key, value: typeof value === 'string' ? Buffer.from(value) : value, headers, partition: published!.kafka_partition, offset: published!.kafka_offset, timestamp: '0' };
    const batch = { batch: { topic: harness.topics.events, partition: record.partition, records: [record] }, decoded: [decodeRecord(record)] };
    return Promise.all([applyTogether(harness.pool, harness.runners, [batch]), applyTogether(harness.pool, harness.runners, [batch])]);
  }

  it('two readers handed the same batch at once, as around a rebalance, apply it once', async () => {
    harness = await startProjectionHarness({ projections: [statementsProjection('raced')], together: true });
    await harness.append('party-RUS', [statement('first')]);
    await harness.caughtUp();
    await harness.stopReading();
    const [second] = await harness.append('party-RUS', [statement('second')]);

    // The later transaction waits on the checkpoint the first one locked, then finds the batch applied.
    expect(await handToTwoReadersAtOnce(second!)).toEqual([true, true]);
    expect(await summaries(harness, 'raced_statements')).toEqual(['first', 'second']);
    // One for `first`, applied while the harness read the topic, and one for `second`.
    expect(harness.runners[0]!.progress.applied).toBe(2);
  });

  it('two readers handed a partition\'s very first batch at once apply it once', async () => {
    harness = await startProjectionHarness({ projections: [statementsProjection('raced')], together: true });
    await harness.stopReading();
    const [first] = await harness.append('party-RUS', [statement('first')]);

    // No checkpoint of that partition exists yet: the first transaction makes it, the later one waits on it.
    expect(await handToTwoReadersAtOnce(first!)).toEqual([true, true]);
    expect(await summaries(harness, 'raced_statements')).toEqual(['first']);
    expect(harness.runners[0]!.progress.applied).toBe(1);
  });
});
