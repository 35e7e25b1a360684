// Runs one projection version over the events topic. Per Kafka batch, one Postgres transaction:
// skip what the checkpoint or the stream's applied version says is done, apply the rest with the
// projection's set-based SQL, move the checkpoint, commit; only then commit the offset to Kafka.
// A crash anywhere leaves the tables and the checkpoint agreeing, so redelivery repeats nothing.
import { Logger } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChanceryEvent } from '#domain';
import { type ConsumedBatch, type ConsumedRecord, decodeEnvelope, type EventEnvelope, EventLogConsumer, type EventLogProducer, recordedEventOf } from '#event-log';
import { type ProjectedEvent, type Projection, schemaOf } from '../projection.js';

export const projectionChannel = 'chancery_projection';

export type FailurePolicy = 'skip' | 'halt';

export type RunnerOptions = {
  topic: string;
  dlqTopic: string;
  groupPrefix: string;
  failurePolicy: FailurePolicy;
  /** Which generation of the projection this runner builds (its schema, checkpoints and group). */
  generation: number;
  /** Whether this generation is the one dashboards read (false while it is rebuilt beside it). */
  live?: boolean;
  /** Attempts at a failing batch before its events are applied one by one to find the poison. */
  batchAttempts?: number;
  retryBaseMs?: number;
};

/** Progress of one projection version as the runner sees it. */
export type RunnerProgress = { applied: number; skipped: number; failures: number; halted: boolean };

class Halt extends Error {}

type Failure = { record: ConsumedRecord; event?: ProjectedEvent; error: string };

/**
 * The event as projections see it: upcast to the current version of its type (the topic keeps
 * events as recorded). An event newer than this code throws here and is set aside.
 */
function projected(envelope: EventEnvelope): ProjectedEvent {
  return {
    ...recordedEventOf(envelope),
    globalPosition: envelope.globalPosition,
    recordedBy: envelope.recordedBy,
    correlationId: envelope.correlationId,
  } as ProjectedEvent;
}

export class ProjectionRunner {
  private readonly logger: Logger;
  private readonly consumer: EventLogConsumer;
  private readonly schema: string;
  readonly generation: number;
  get live(): boolean {
    return this.options.live ?? true;
  }
  readonly progress: RunnerProgress = { applied: 0, skipped: 0, failures: 0, halted: false };

  constructor(
    readonly projection: Projection,
    private readonly pool: pg.Pool,
    kafka: Kafka,
    private readonly dlq: EventLogProducer,
    private readonly options: RunnerOptions,
  ) {
    this.generation = options.generation;
    this.logger = new Logger(`Projection ${projection.name}@v${this.generation}`);
    this.schema = schemaOf(projection, this.generation);
    this.consumer = new EventLogConsumer(kafka, `${options.groupPrefix}.projection.${projection.name}.v${this.generation}`);
  }

  async start(): Promise<void> {
    await this.consumer.run({
      topic: this.options.topic,
      fromBeginning: true,
      partitionsConcurrently: 2,
      startAt: (partitions) => this.checkpoints(partitions),
      handleBatch: (batch) => this.handleBatch(batch),
    });
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  private async checkpoints(partitions: number[]): Promise<Map<number, string>> {
    const { rows } = await this.pool.query<{ partition: number; next_offset: string }>(
      `SELECT partition, next_offset FROM projection_checkpoints
       WHERE projection = $1 AND version = $2 AND partition = ANY($3::int[])`,
      [this.projection.name, this.generation, partitions]);
    // A partition without a checkpoint starts at 0, whatever Kafka remembers for the group: the
    // read model may be new (a restored or fresh database) while the group is not.
    const stored = new Map(rows.map((row) => [row.partition, row.next_offset]));
    return new Map(partitions.map((partition) => [partition, stored.get(partition) ?? '0']));
  }

  private async handleBatch(batch: ConsumedBatch): Promise<void> {
    if (this.progress.halted) throw new Halt(`${this.projection.name} is halted`);
    const attempts = this.options.batchAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.applyBatch(batch, attempt > attempts);
        return;
      } catch (error) {
        if (error instanceof Halt) {
          this.progress.halted = true;
          await this.setStatus('halted');
          // Leave the group rather than have kafkajs restart into the same poison event forever.
          setImmediate(() => void this.consumer.stop().catch(() => {}));
          throw error;
        }
        if (attempt > attempts) throw error;
        this.logger.warn({ partition: batch.partition, attempt, err: (error as Error).message }, 'batch failed; retrying');
        await sleep((this.options.retryBaseMs ?? 200) * 2 ** (attempt - 1));
      }
    }
  }

  /**
   * One transaction for the batch. In isolating mode (after the batch kept failing) each event is
   * applied under its own savepoint, so the poison ones are set aside and the rest still land.
   */
  private async applyBatch(batch: ConsumedBatch, isolating: boolean): Promise<void> {
    const { name } = this.projection;
    const version = this.generation;
    const tx = await this.pool.connect();
    const failures: Failure[] = [];
    let committed = false;
    try {
      await tx.query('BEGIN');
      const checkpoint = await tx.query<{ next_offset: string }>(
        `SELECT next_offset FROM projection_checkpoints WHERE projection = $1 AND version = $2 AND partition = $3 FOR UPDATE`,
        [name, version, batch.partition]);
      const nextOffset = BigInt(checkpoint.rows[0]?.next_offset ?? '0');
      const fresh = batch.records.filter((record) => BigInt(record.offset) >= nextOffset);
      if (fresh.length === 0) {
        await tx.query('ROLLBACK');
        return;
      }

      const decoded: Array<{ record: ConsumedRecord; event: ProjectedEvent; unreadable?: string }> = [];
      for (const record of fresh) {
        let envelope: EventEnvelope;
        try {
          envelope = decodeEnvelope(record.value);
        } catch (error) {
          failures.push({ record, error: (error as Error).message });
          continue;
        }
        try {
          decoded.push({ record, event: projected(envelope) });
        } catch (error) {
          // Unreadable (a newer schema version): set aside under its identity, and its stream
          // moves past it, so waits on that stream do not hang.
          decoded.push({ record, event: envelope as unknown as ProjectedEvent, unreadable: (error as Error).message });
        }
      }

      const streamIds = [...new Set(decoded.map(({ event }) => event.streamId))];
      const applied = await tx.query<{ stream_id: string; last_version: number }>(
        `SELECT stream_id, last_version FROM projection_streams
         WHERE projection = $1 AND version = $2 AND stream_id = ANY($3::text[])`, [name, version, streamIds]);
      const lastVersion = new Map(applied.rows.map((row) => [row.stream_id, row.last_version]));
      const changed = new Map<string, number>();
      const toApply: Array<{ record: ConsumedRecord; event: ProjectedEvent }> = [];
      for (const entry of decoded) {
        const { streamId, streamVersion } = entry.event;
        const last = changed.get(streamId) ?? lastVersion.get(streamId) ?? 0;
        if (streamVersion <= last) {
          // The relay published it again after a crash, or Kafka redelivered it: already applied.
          this.progress.skipped++;
          continue;
        }
        if (streamVersion > last + 1) {
          failures.push({ ...entry, error: `version gap in ${streamId}: expected ${last + 1}, got ${streamVersion}` });
        }
        changed.set(streamId, streamVersion);
        if (entry.unreadable) failures.push({ ...entry, error: entry.unreadable });
        else if (this.projection.handles.has(entry.event.type as ChanceryEvent['type'])) toApply.push(entry);
      }

      if (isolating) {
        for (const entry of toApply) {
          await tx.query('SAVEPOINT event');
          try {
            await this.projection.apply({ tx, schema: this.schema, events: [entry.event], live: this.options.live ?? true });
            await tx.query('RELEASE SAVEPOINT event');
          } catch (error) {
            await tx.query('ROLLBACK TO SAVEPOINT event');
            failures.push({ ...entry, error: (error as Error).message });
          }
        }
      } else if (toApply.length > 0) {
        await this.projection.apply({ tx, schema: this.schema, events: toApply.map((entry) => entry.event), live: this.options.live ?? true });
      }

      if (failures.length > 0 && this.options.failurePolicy === 'halt') {
        await tx.query('ROLLBACK');
        await this.recordFailures(failures);
        throw new Halt(failures[0]!.error);
      }
      if (failures.length > 0) await this.recordFailures(failures, tx);

      if (changed.size > 0) {
        await tx.query(
          `INSERT INTO projection_streams (projection, version, stream_id, last_version)
           SELECT $1, $2, s.stream_id, s.last_version FROM unnest($3::text[], $4::int[]) AS s(stream_id, last_version)
           ON CONFLICT (projection, version, stream_id) DO UPDATE SET last_version = EXCLUDED.last_version`,
          [name, version, [...changed.keys()], [...changed.values()]]);
      }
      const lastOffset = BigInt(fresh.at(-1)!.offset);
      const lastEventAt = decoded.at(-1)?.event.recordedAt ?? null;
      await tx.query(
        `INSERT INTO projection_checkpoints (projection, version, partition, next_offset, events_applied, last_event_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())
         ON CONFLICT (projection, version, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now(),
           events_applied = projection_checkpoints.events_applied + EXCLUDED.events_applied,
           last_event_at = greatest(projection_checkpoints.last_event_at, EXCLUDED.last_event_at)`,
        [name, version, batch.partition, (lastOffset + 1n).toString(), toApply.length, lastEventAt]);
      await tx.query(`SELECT pg_notify('${projectionChannel}', $1)`, [JSON.stringify({
        projection: name, version, live: this.options.live ?? true, partition: batch.partition, applied: toApply.length,
        streams: [...changed.entries()].slice(0, 200),
      })]);
      await tx.query('COMMIT');
      committed = true;
      this.logger.debug({
        partition: batch.partition, applied: toApply.length, nextOffset: (lastOffset + 1n).toString(),
        correlationIds: [...new Set(toApply.map((entry) => entry.event.correlationId))].slice(0, 20),
      }, 'batch applied');
      this.progress.applied += toApply.length;
      this.progress.failures += failures.length;
    } catch (error) {
      if (!committed) await tx.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      tx.release();
    }
    if (failures.length > 0) await this.sendToDlq(failures);
  }

  private async recordFailures(failures: Failure[], tx?: pg.PoolClient): Promise<void> {
    const { name } = this.projection;
    const version = this.generation;
    for (const failure of failures) {
      this.logger.error({ eventId: failure.event?.eventId, offset: failure.record.offset, err: failure.error }, 'event set aside');
    }
    await (tx ?? this.pool).query(
      `INSERT INTO projection_failures (projection, version, event_id, stream_id, stream_version, partition, kafka_offset, error)
       SELECT $1, $2, f.event_id, f.stream_id, f.stream_version, f.partition, f.kafka_offset, f.error
       FROM unnest($3::text[], $4::text[], $5::int[], $6::int[], $7::bigint[], $8::text[])
         AS f(event_id, stream_id, stream_version, partition, kafka_offset, error)`,
      [name, version,
        failures.map((failure) => failure.event?.eventId ?? null),
        failures.map((failure) => failure.event?.streamId ?? null),
        failures.map((failure) => failure.event?.streamVersion ?? null),
        failures.map((failure) => failure.record.partition),
        failures.map((failure) => failure.record.offset),
        failures.map((failure) => failure.error)]);
  }

  private async sendToDlq(failures: Failure[]): Promise<void> {
    try {
      const partitions = 1;
      await this.dlq.publish(this.options.dlqTopic, partitions, failures.map((failure) => ({
        key: failure.record.key ?? 'unkeyed',
        value: failure.record.value,
        headers: {
          ...failure.record.headers,
          'failed-projection': `${this.projection.name}@v${this.generation}`,
          'failure': failure.error.slice(0, 500),
          'original-partition': String(failure.record.partition),
          'original-offset': failure.record.offset,
        },
      })));
    } catch (error) {
      // The failure is in projection_failures already; the DLQ copy is a convenience for consumers.
      this.logger.warn({ err: (error as Error).message }, 'could not copy failed events to the DLQ');
    }
  }

  private async setStatus(status: 'halted' | 'failed'): Promise<void> {
    await this.pool.query('UPDATE projection_status SET status = $3, updated_at = now() WHERE projection = $1 AND version = $2',
      [this.projection.name, this.generation, status]).catch(() => {});
  }
}
