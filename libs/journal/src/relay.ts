// The outbox relay: publishes the journal's events that Kafka does not have yet (the outbox), in
// global_position order, then takes them out of the outbox and records their partition and offset.
// It selects *what the outbox holds*, never "position > last", so a transaction that took an earlier
// position but committed late is still published.
// One relay owns the outbox at a time (a session-level advisory lock); others wait as standbys.
import { Logger } from '@nestjs/common';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeEnvelope, type EventLogProducer, type RecordPosition } from '#event-log';
import { envelopeColumns, envelopeOf, journalChannel } from './journal.js';

/** Any constant both relays agree on: "the outbox of this database". */
const relayLockKey = 0x43_48_52_59; // 'CHRY'

export type RelayOptions = {
  databaseUrl: string;
  topic: string;
  partitionCount: number;
  batchSize?: number;
  /** How often to look for rows even without a notification (a missed NOTIFY, a standby taking over). */
  pollIntervalMs?: number;
  /** How often, at most, the relay vacuums the outbox while it publishes. */
  vacuumIntervalMs?: number;
  /** Test seam: runs after Kafka acknowledged a batch and before the rows are marked. */
  afterPublish?: (positions: RecordPosition[]) => Promise<void>;
};

export type RelayStats = { published: number; batches: number; failures: number; backlog: number };

export class Relay {
  private readonly logger = new Logger('Relay');
  private readonly abort = new AbortController();
  private listener?: pg.Client;
  private wake?: () => void;
  /** Set by a wake-up that found the relay busy: the next pause returns at once, so no append waits for the poll. */
  private woken = false;
  private running?: Promise<void>;
  private owner = false;
  /** Whether events left the outbox since it was last vacuumed, and when that was. */
  private unvacuumed = false;
  private vacuumedAt = 0;
  readonly stats: RelayStats = { published: 0, batches: 0, failures: 0, backlog: 0 };

  constructor(
    private readonly pool: pg.Pool,
    private readonly producer: EventLogProducer,
    private readonly options: RelayOptions,
  ) {}

  private get batchSize(): number {
    return this.options.batchSize ?? 1_000;
  }

  start(): void {
    this.running = this.run().catch((error) => this.logger.error({ err: error }, 'relay stopped'));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.wakeUp();
    await this.running;
  }

  /** New rows are committed: look at once. */
  wakeUp(): void {
    this.woken = true;
    this.wake?.();
  }

  /** Resolves when nothing is left to publish (for tests and the bench). */
  async drained(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { rows } = await this.pool.query<{ count: string }>(
        'SELECT count(*) FROM outbox');
      if (rows[0]!.count === '0') return;
      await sleep(50);
    }
    throw new Error('the relay did not drain the outbox in time');
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        await this.connectListener();
        if (!(await this.ownOutbox())) {
          await this.pause(this.options.pollIntervalMs ?? 1_000);
          continue;
        }
        this.owner = true;
        this.logger.log('relay owns the outbox');
        while (!this.abort.signal.aborted) {
          const published = await this.publishBatch();
          await this.vacuumOutbox();
          // A batch that was not full took everything committed before its read; what committed
          // since woke the relay, and then the pause returns at once. (Reading again regardless cost
          // every single command one more query.)
          if (published < this.batchSize) await this.pause(this.options.pollIntervalMs ?? 1_000);
        }
      } catch (error) {
        // Kafka or Postgres away: nothing is lost (the rows stay unpublished); try again shortly.
        this.stats.failures++;
        this.logger.warn({ err: (error as Error).message }, 'relay batch failed; retrying');
        await this.closeListener();
        // Back off even if appends came in meanwhile; a new one still cuts the pause short.
        this.woken = false;
        await this.pause(Math.min(1_000 * this.stats.failures, 5_000));
      }
    }
    await this.closeListener();
  }

  private async connectListener(): Promise<void> {
    if (this.listener) return;
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: 'chancery-relay' });
    client.on('error', () => void this.closeListener());
    client.on('notification', () => this.wakeUp());
    await client.connect();
    await client.query(`LISTEN ${journalChannel}`);
    this.listener = client;
  }

  /** Whether this relay holds the outbox lock (a standby does not). */
  get ownsOutbox(): boolean {
    return this.owner && this.listener !== undefined;
  }

  private async closeListener(): Promise<void> {
    this.owner = false;
    const client = this.listener;
    this.listener = undefined;
    await client?.end().catch(() => {});
  }

  /** The advisory lock lives as long as the listener's session: a dead relay releases it. */
  private async ownOutbox(): Promise<boolean> {
    const { rows } = await this.listener!.query<{ owned: boolean }>(
      'SELECT pg_try_advisory_lock($1) AS owned', [relayLockKey]);
    return rows[0]!.owned;
  }

  private pause(ms: number): Promise<void> {
    if (this.woken || this.abort.signal.aborted) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  /**
   * Every published event leaves a dead row in the outbox, and the relay's read walks the dead
   * entries of the outbox's index until a vacuum removes them. Autovacuum comes by once a minute at
   * most, and by then a minute of events (12,000 at 200 a second) lies in the way of every read. The
   * outbox holds a few rows, so vacuuming it once a second costs little. (Skipped while autovacuum
   * is at it.)
   */
  private async vacuumOutbox(): Promise<void> {
    if (!this.unvacuumed || Date.now() - this.vacuumedAt < (this.options.vacuumIntervalMs ?? 1_000)) return;
    this.unvacuumed = false;
    this.vacuumedAt = Date.now();
    await this.pool.query('VACUUM (SKIP_LOCKED) outbox');
  }

  private async publishBatch(): Promise<number> {
    // A wake-up from here on may be for rows this read misses: it makes the next pause return at once.
    this.woken = false;
    const { rows } = await this.pool.query({
      name: 'relay-unpublished',
      text: `SELECT ${envelopeColumns} FROM outbox JOIN journal USING (global_position) ORDER BY global_position LIMIT $1`,
      values: [this.batchSize],
    });
    if (rows.length === 0) return 0;
    const envelopes = rows.map(envelopeOf);
    const positions = await this.producer.publish(
      this.options.topic, this.options.partitionCount, envelopes.map(encodeEnvelope));
    await this.options.afterPublish?.(positions);
    // Only the events this statement took out of the outbox are recorded: were a relay that lost its
    // lock still publishing, its later copies would not be recorded beside the first.
    await this.pool.query({
      name: 'relay-mark-published',
      text: `WITH published AS (DELETE FROM outbox WHERE global_position = ANY($1::bigint[]) RETURNING global_position)
             INSERT INTO journal_publications (kafka_partition, kafka_offset, global_position, published_at)
             SELECT p.partition, p.kafka_offset, p.global_position, now()
             FROM unnest($1::bigint[], $2::int[], $3::bigint[]) AS p(global_position, partition, kafka_offset)
             JOIN published USING (global_position)`,
      values: [envelopes.map((envelope) => envelope.globalPosition), positions.map((position) => position.partition),
        positions.map((position) => position.offset)],
    });
    this.unvacuumed = true;
    this.stats.published += envelopes.length;
    this.stats.batches++;
    this.stats.failures = 0;
    return envelopes.length;
  }
}
