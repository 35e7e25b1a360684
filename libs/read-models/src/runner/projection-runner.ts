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

/** The halt policy stopped a generation at a poison event. */
export class Halt extends Error {}

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

/** A record decoded once, whoever applies it; an unreadable one keeps what could be read of it. */
export type DecodedRecord = { record: ConsumedRecord; event?: ProjectedEvent; unreadable?: string };

/**
 * A record that is not an envelope has no event; an event newer than this code keeps its
 * identity, so its stream moves past it and waits on that stream do not hang.
 */
export function decodeRecord(record: ConsumedRecord): DecodedRecord {
  let envelope: EventEnvelope;
  try {
    envelope = decodeEnvelope(record.value);
  } catch (error) {
    return { record, unreadable: (error as Error).message };
  }
  try {
    return { record, event: projected(envelope) };
  } catch (error) {
    return { record, event: envelope as unknown as ProjectedEvent, unreadable: (error as Error).message };
  }
}

/** Where each partition starts for one projection generation: its checkpoint, or 0 without one. */
export async function storedCheckpoints(pool: pg.Pool, name: string, generation: number, partitions: number[]): Promise<Map<number, bigint>> {
  const { rows } = await pool.query<{ partition: number; next_offset: string }>(
    `SELECT partition, next_offset FROM projection_checkpoints
     WHERE projection = $1 AND version = $2 AND partition = ANY($3::int[])`,
    [name, generation, partitions]);
  // A partition without a checkpoint starts at 0, whatever Kafka remembers for the group: the
  // read model may be new (a restored or fresh database) while the group is not.
  const stored = new Map(rows.map((row) => [row.partition, BigInt(row.next_offset)]));
  return new Map(partitions.map((partition) => [partition, stored.get(partition) ?? 0n]));
}

/**
 * One projection generation: applies partition batches to its tables with its checkpoint. It reads
 * the topic with a consumer group of its own (`start`), or is fed batches already decoded by a
 * reader it shares with other generations (`applyDecoded`, see LiveProjectionsRunner).
 */
export class ProjectionRunner {
  private readonly logger: Logger;
  private consumer?: EventLogConsumer;
  private readonly schema: string;
  readonly generation: number;
  get live(): boolean {
    return this.options.live ?? true;
  }
  readonly progress: RunnerProgress = { applied: 0, skipped: 0, failures: 0, halted: false };
  /** When a rebuilding generation last told the live stream of its progress. */
  private lastRebuildNotice = 0;

  constructor(
    readonly projection: Projection,
    private readonly pool: pg.Pool,
    private readonly kafka: Kafka,
    private readonly dlq: EventLogProducer,
    private readonly options: RunnerOptions,
  ) {
    this.generation = options.generation;
    this.logger = new Logger(`Projection ${projection.name}@v${this.generation}`);
    this.schema = schemaOf(projection, this.generation);
  }

  /** Reads the topic with this generation's own consumer group. */
  async start(): Promise<void> {
    const consumer = new EventLogConsumer(this.kafka, `${this.options.groupPrefix}.projection.${this.projection.name}.v${this.generation}`);
    this.consumer = consumer;
    await consumer.run({
      topic: this.options.topic,
      fromBeginning: true,
      partitionsConcurrently: 2,
      startAt: async (partitions) => new Map([...await this.checkpoints(partitions)].map(([partition, offset]) => [partition, offset.toString()])),
      handleBatch: async (batch) => {
        if (this.progress.halted) throw new Halt(`${this.projection.name} is halted`);
        try {
          await this.applyDecoded(batch, batch.records.map(decodeRecord));
        } catch (error) {
          // Leave the group rather than have kafkajs restart into the same poison event forever.
          if (error instanceof Halt) setImmediate(() => void consumer.stop().catch(() => {}));
          throw error;
        }
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  checkpoints(partitions: number[]): Promise<Map<number, bigint>> {
    return storedCheckpoints(this.pool, this.projection.name, this.generation, partitions);
  }

  /**
   * Applies one partition batch, retrying it, then isolating its poison events. Throws `Halt`
   * when the halt policy stopped this generation (its status is then `halted`).
   */
  async applyDecoded(batch: ConsumedBatch, decoded: DecodedRecord[]): Promise<void> {
    const attempts = this.options.batchAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.applyBatch(batch, decoded, attempt > attempts);
        return;
      } catch (error) {
        if (error instanceof Halt) {
          this.progress.halted = true;
          await this.setStatus('halted');
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
  private async applyBatch(batch: ConsumedBatch, decodedRecords: DecodedRecord[], isolating: boolean): Promise<void> {
    const { name } = this.projection;
    const version = this.generation;
    const live = this.options.live ?? true;
    const tx = await this.pool.connect();
    const failures: Failure[] = [];
    let committed = false;
    try {
      await tx.query('BEGIN');
      const { nextOffset, lastVersion } = await this.lockCheckpoint(tx, batch.partition,
        [...new Set(decodedRecords.flatMap((entry) => (entry.event ? [entry.event.streamId] : [])))]);
      const fresh = decodedRecords.filter((entry) => BigInt(entry.record.offset) >= nextOffset);
      if (fresh.length === 0) {
        await tx.query('ROLLBACK');
        return;
      }

      const decoded: Array<{ record: ConsumedRecord; event: ProjectedEvent; unreadable?: string }> = [];
      for (const entry of fresh) {
        if (entry.event) decoded.push({ record: entry.record, event: entry.event, unreadable: entry.unreadable });
        else failures.push({ record: entry.record, error: entry.unreadable! });
      }

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
            await this.projection.apply({ tx, schema: this.schema, events: [entry.event], live });
            await tx.query('RELEASE SAVEPOINT event');
          } catch (error) {
            await tx.query('ROLLBACK TO SAVEPOINT event');
            failures.push({ ...entry, error: (error as Error).message });
          }
        }
      } else if (toApply.length > 0) {
        await this.projection.apply({ tx, schema: this.schema, events: toApply.map((entry) => entry.event), live });
      }

      if (failures.length > 0 && this.options.failurePolicy === 'halt') {
        await tx.query('ROLLBACK');
        await this.recordFailures(failures);
        throw new Halt(failures[0]!.error);
      }
      if (failures.length > 0) await this.recordFailures(failures, tx);

      const lastOffset = BigInt(fresh.at(-1)!.record.offset);
      const lastEventAt = decoded.at(-1)?.event.recordedAt ?? null;
      // The streams' applied versions, the checkpoint and the progress notification in one round
      // trip: a batch's bookkeeping costs one statement whatever its size. The live generation
      // notifies every batch (consistency waits and the live stream hear it); a rebuild at most once a
      // second, for the stream's progress: every notifying commit queues on one lock.
      await tx.query(
        `WITH streams AS (
           INSERT INTO projection_streams (projection, version, stream_id, last_version)
           SELECT $1, $2, s.stream_id, s.last_version FROM unnest($3::text[], $4::int[]) AS s(stream_id, last_version)
           ON CONFLICT (projection, version, stream_id) DO UPDATE SET last_version = EXCLUDED.last_version
         ), checkpoint AS (
           INSERT INTO projection_checkpoints (projection, version, partition, next_offset, events_applied, last_event_at, updated_at)
           VALUES ($1, $2, $5, $6, $7, $8, now())
           ON CONFLICT (projection, version, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now(),
             events_applied = projection_checkpoints.events_applied + EXCLUDED.events_applied,
             last_event_at = greatest(projection_checkpoints.last_event_at, EXCLUDED.last_event_at)
         )
         SELECT pg_notify('${projectionChannel}', $9) WHERE $9::text IS NOT NULL`,
        [name, version, [...changed.keys()], [...changed.values()],
          batch.partition, (lastOffset + 1n).toString(), toApply.length, lastEventAt,
          this.progressNotice(live, batch.partition, toApply.length, changed)]);
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

  /**
   * Locks the partition's checkpoint (a second runner of the same partition, after a rebalance,
   * waits here) and reads the applied versions of the batch's streams, in one round trip. The
   * versions come from the statement's snapshot while the lock sees the latest commit: when the
   * two checkpoints differ, a batch of this partition committed in between, and the versions are
   * read again now that the lock is held.
   */
  private async lockCheckpoint(tx: pg.PoolClient, partition: number, streamIds: string[]):
    Promise<{ nextOffset: bigint; lastVersion: Map<string, number> }> {
    const { name } = this.projection;
    const version = this.generation;
    const { rows } = await tx.query<{ locked: string | null; seen: string | null; versions: Array<[string, number]> | null }>(
      `WITH locked AS (
         SELECT next_offset FROM projection_checkpoints WHERE projection = $1 AND version = $2 AND partition = $3 FOR UPDATE
       )
       SELECT (SELECT next_offset FROM locked)::text AS locked,
         (SELECT next_offset FROM projection_checkpoints WHERE projection = $1 AND version = $2 AND partition = $3)::text AS seen,
         (SELECT json_agg(json_build_array(stream_id, last_version)) FROM projection_streams
          WHERE projection = $1 AND version = $2 AND stream_id = ANY($4::text[])) AS versions`,
      [name, version, partition, streamIds]);
    const { locked, seen } = rows[0]!;
    let { versions } = rows[0]!;
    if (locked !== seen) {
      const again = await tx.query<{ stream_id: string; last_version: number }>(
        `SELECT stream_id, last_version FROM projection_streams
         WHERE projection = $1 AND version = $2 AND stream_id = ANY($3::text[])`, [name, version, streamIds]);
      versions = again.rows.map((row) => [row.stream_id, row.last_version]);
    }
    return { nextOffset: BigInt(locked ?? '0'), lastVersion: new Map(versions ?? []) };
  }

  /** What the batch's commit tells listeners, if anything (see the bookkeeping statement). */
  private progressNotice(live: boolean, partition: number, applied: number, changed: Map<string, number>): string | null {
    const { name } = this.projection;
    const version = this.generation;
    if (live) return JSON.stringify({ projection: name, version, live, partition, applied, streams: [...changed.entries()].slice(0, 200) });
    if (Date.now() - this.lastRebuildNotice < 1_000) return null;
    this.lastRebuildNotice = Date.now();
    return JSON.stringify({ projection: name, version, live, partition, applied });
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
