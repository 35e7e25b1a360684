// Publishes alerts to `<prefix>.alerts` after they commit, as the relay publishes the journal: the
// alerts table is the outbox. Rows are claimed with FOR UPDATE SKIP LOCKED, so alerter instances
// share the work; a crash between Kafka's acknowledgement and the mark publishes an alert again
// (consumers dedupe by its id, which the record's key and headers carry).
import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { EventLogProducer } from '#event-log';
import { alertColumns, alertItemOf, type AlertRow } from '#read-models';
import { Pause } from '../pause.js';

export type PublisherOptions = { topic: string; partitionCount: number; pollMs: number; batchSize?: number };

export class AlertPublisher {
  private readonly logger = new Logger('AlertPublisher');
  private readonly pause = new Pause();
  private running?: Promise<void>;
  private failures = 0;

  constructor(private readonly pool: pg.Pool, private readonly producer: EventLogProducer, private readonly options: PublisherOptions) {}

  start(): void {
    this.running = this.loop();
  }

  wake(): void {
    this.pause.wake();
  }

  async stop(): Promise<void> {
    this.pause.stop();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.pause.isStopped) {
      try {
        const published = await this.publishBatch();
        this.failures = 0;
        if (published > 0) continue;
        await this.pause.for(this.options.pollMs);
      } catch (error) {
        // Kafka or Postgres away: the alerts stay unpublished and are tried again.
        this.failures++;
        this.logger.warn({ err: (error as Error).message }, 'could not publish alerts; retrying');
        await this.pause.for(Math.min(1_000 * this.failures, 10_000));
      }
    }
  }

  /** One batch in one transaction: claimed, sent, marked. */
  async publishBatch(): Promise<number> {
    const tx = await this.pool.connect();
    try {
      await tx.query('BEGIN');
      const { rows } = await tx.query<AlertRow & { seq: string }>(
        `SELECT ${alertColumns}, seq FROM alerts WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize ?? 200]);
      if (rows.length === 0) {
        await tx.query('ROLLBACK');
        return 0;
      }
      // Keyed by rule, so one rule's alerts keep their order on one partition.
      const positions = await this.producer.publish(this.options.topic, this.options.partitionCount, rows.map((row) => ({
        key: row.rule_id,
        value: JSON.stringify(alertItemOf(row)),
        headers: { 'alert-id': row.id, 'rule-id': row.rule_id, 'content-type': 'application/json' },
      })));
      await tx.query(
        `UPDATE alerts SET published_at = clock_timestamp(), kafka_partition = p.partition, kafka_offset = p.kafka_offset
         FROM unnest($1::uuid[], $2::int[], $3::bigint[]) AS p(id, partition, kafka_offset) WHERE alerts.id = p.id`,
        [rows.map((row) => row.id), positions.map((position) => position.partition), positions.map((position) => position.offset)]);
      await tx.query('COMMIT');
      return rows.length;
    } catch (error) {
      await tx.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      tx.release();
    }
  }
}
