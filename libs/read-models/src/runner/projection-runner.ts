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
import { prepared } from '../sql.js';
import { generationGroup } from './consumer-groups.js';

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

/** What one partition batch holds for one generation, sorted under its checkpoint lock. */
export type BatchPlan = {
  runner: ProjectionRunner;
  partition: number;
  toApply: Array<{ record: ConsumedRecord; event: ProjectedEvent }>;
  failures: Failure[];
  /** Each stream's version after the batch. */
  changed: Map<string, number>;
  /** Redelivered events already applied. */
  skipped: number;
  lastEventAt: string | null;
  /** The checkpoint after the batch. */
  nextOffset: bigint;
};

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
    const consumer = new EventLogConsumer(this.kafka, generationGroup(this.options.groupPrefix, this.projection.name, this.generation));
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
  private async applyBatch(batch: ConsumedBatch, decoded: DecodedRecord[], isolating: boolean): Promise<void> {
    const tx = await this.pool.connect();
    let plan: BatchPlan | undefined;
    let committed = false;
    try {
      await tx.query('BEGIN');
      [plan] = await planBatches(tx, [this], [{ batch, decoded }]);
      if (!plan) {
        await tx.query('ROLLBACK');
        return;
      }
      await this.applyPlan(tx, plan, isolating);
      const { failures } = plan;
      if (failures.length > 0 && this.options.failurePolicy === 'halt') {
        await tx.query('ROLLBACK');
        await this.recordFailures(failures);
        throw new Halt(failures[0]!.error);
      }
      if (failures.length > 0) await this.recordFailures(failures, tx);
      await recordProgress(tx, [plan]);
      await tx.query('COMMIT');
      committed = true;
    } catch (error) {
      if (!committed) await tx.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      tx.release();
    }
    await this.committed(plan);
  }

  /**
   * Sorts the batch for this generation, given its checkpoint and its streams' applied versions:
   * what to apply, what is already done, what is set aside. Undefined when all of it is done.
   */
  plan(partition: number, decoded: DecodedRecord[], nextOffset: bigint, lastVersion: Map<string, number>): BatchPlan | undefined {
    const fresh = decoded.filter((entry) => BigInt(entry.record.offset) >= nextOffset);
    if (fresh.length === 0) return undefined;
    const failures: Failure[] = [];
    const changed = new Map<string, number>();
    const toApply: Array<{ record: ConsumedRecord; event: ProjectedEvent }> = [];
    let skipped = 0;
    let lastEventAt: string | null = null;
    for (const entry of fresh) {
      if (!entry.event) {
        failures.push({ record: entry.record, error: entry.unreadable! });
        continue;
      }
      const { streamId, streamVersion } = entry.event;
      lastEventAt = entry.event.recordedAt;
      const last = changed.get(streamId) ?? lastVersion.get(streamId) ?? 0;
      if (streamVersion <= last) {
        // The relay published it again after a crash, or Kafka redelivered it: already applied.
        skipped++;
        continue;
      }
      if (streamVersion > last + 1) {
        failures.push({ record: entry.record, event: entry.event, error: `version gap in ${streamId}: expected ${last + 1}, got ${streamVersion}` });
      }
      changed.set(streamId, streamVersion);
      if (entry.unreadable) failures.push({ record: entry.record, event: entry.event, error: entry.unreadable });
      else if (this.projection.handles.has(entry.event.type as ChanceryEvent['type'])) toApply.push({ record: entry.record, event: entry.event });
    }
    return {
      runner: this, partition, toApply, failures, changed, skipped, lastEventAt,
      nextOffset: BigInt(fresh.at(-1)!.record.offset) + 1n,
    };
  }

  /** The plan's events into this generation's tables; in isolating mode the poison ones join its failures. */
  async applyPlan(tx: pg.PoolClient, plan: BatchPlan, isolating: boolean): Promise<void> {
    const live = this.live;
    if (isolating) {
      for (const entry of plan.toApply) {
        await tx.query('SAVEPOINT event');
        try {
          await this.projection.apply({ tx, schema: this.schema, events: [entry.event], live });
          await tx.query('RELEASE SAVEPOINT event');
        } catch (error) {
          await tx.query('ROLLBACK TO SAVEPOINT event');
          plan.failures.push({ ...entry, error: (error as Error).message });
        }
      }
    } else {
      await this.applyPlans(tx, [plan]);
    }
  }

  /** Several partitions' plans in one go: a stream lives in one partition, so each keeps its order. */
  async applyPlans(tx: pg.PoolClient, plans: readonly BatchPlan[]): Promise<void> {
    const events = plans.flatMap((plan) => plan.toApply.map((entry) => entry.event));
    if (events.length > 0) await this.projection.apply({ tx, schema: this.schema, events, live: this.live });
  }

  /** After the commit: progress, the log line, and the set-aside events' copies on the DLQ. */
  async committed(plan: BatchPlan): Promise<void> {
    this.logger.debug({
      partition: plan.partition, applied: plan.toApply.length, nextOffset: plan.nextOffset.toString(),
      correlationIds: [...new Set(plan.toApply.map((entry) => entry.event.correlationId))].slice(0, 20),
    }, 'batch applied');
    this.progress.applied += plan.toApply.length;
    this.progress.skipped += plan.skipped;
    this.progress.failures += plan.failures.length;
    if (plan.failures.length > 0) await this.sendToDlq(plan.failures);
  }

  /** The streams this generation has applied up to which version, by stream id. */
  async appliedVersions(tx: pg.PoolClient, streamIds: string[]): Promise<Array<[string, number]>> {
    const { rows } = await tx.query<{ stream_id: string; last_version: number }>(prepared(
      `SELECT stream_id, last_version FROM projection_streams
       WHERE projection = $1 AND version = $2 AND stream_id = ANY($3::text[])`, [this.projection.name, this.generation, streamIds]));
    return rows.map((row) => [row.stream_id, row.last_version]);
  }

  /** What the batch's commit tells listeners, if anything (see `recordProgress`). */
  progressNotice(plan: BatchPlan): string | null {
    const { partition } = plan;
    const { name } = this.projection;
    const version = this.generation;
    const { live } = this;
    const applied = plan.toApply.length;
    if (live) return JSON.stringify({ projection: name, version, live, partition, applied, streams: [...plan.changed.entries()].slice(0, 200) });
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

/** One partition's batch, its records decoded once for every runner. */
export type DecodedBatch = { batch: ConsumedBatch; decoded: DecodedRecord[] };

/**
 * Locks the checkpoints of the batches' partitions for each generation (a second reader of the same
 * partition, after a rebalance, waits here) and sorts each batch for each generation, in one round
 * trip for all of them. The locks are taken in one order, by partition then generation, so two
 * transactions never wait on each other in a cycle. The applied versions come from the statement's
 * snapshot while the lock sees the latest commit: when the two checkpoints of a generation differ, a
 * batch committed in between, and that generation's versions are read again now that the locks are
 * held. The plans come by partition, then in the runners' order; none where a runner has applied the
 * whole batch already.
 */
export async function planBatches(tx: pg.PoolClient, runners: readonly ProjectionRunner[], batches: readonly DecodedBatch[]): Promise<BatchPlan[]> {
  const byPartition = [...batches].sort((a, b) => a.batch.partition - b.batch.partition);
  const partitions = byPartition.map(({ batch }) => batch.partition);
  const streamIds = [...new Set(byPartition.flatMap(({ decoded }) => decoded.flatMap((entry) => (entry.event ? [entry.event.streamId] : []))))];
  type Offsets = Record<string, string> | null;
  const names = runners.map((runner) => runner.projection.name);
  const generations = runners.map((runner) => runner.generation);
  const lockAndRead = () => tx.query<{ locked: Offsets; seen: Offsets; versions: Array<[string, number]> | null }>(prepared(
    `WITH generation AS (
       SELECT * FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS g(projection, version, ordinal)
     ), locked AS MATERIALIZED (
       SELECT c.projection, c.version, c.partition, c.next_offset FROM projection_checkpoints c
       JOIN generation g ON g.projection = c.projection AND g.version = c.version
       WHERE c.partition = ANY($3::int[])
       ORDER BY c.partition, c.projection, c.version
       FOR UPDATE OF c
     )
     SELECT (SELECT json_object_agg(l.partition, l.next_offset::text) FROM locked l
             WHERE l.projection = g.projection AND l.version = g.version) AS locked,
       (SELECT json_object_agg(c.partition, c.next_offset::text) FROM projection_checkpoints c
        WHERE c.projection = g.projection AND c.version = g.version AND c.partition = ANY($3::int[])) AS seen,
       (SELECT json_agg(json_build_array(s.stream_id, s.last_version)) FROM projection_streams s
        WHERE s.projection = g.projection AND s.version = g.version AND s.stream_id = ANY($4::text[])) AS versions
     FROM generation g ORDER BY g.ordinal`,
    [names, generations, partitions, streamIds]));
  let { rows } = await lockAndRead();
  // A partition a generation has never applied has no checkpoint to lock yet: the transaction makes
  // it (at offset 0, committed only with the batch), so that a second reader of the same batch
  // waits on it, and locks again.
  if (rows.some(({ locked }) => partitions.some((partition) => locked?.[partition] === undefined))) {
    await tx.query(prepared(
      `INSERT INTO projection_checkpoints (projection, version, partition, next_offset)
       SELECT g.projection, g.version, p.partition, 0
       FROM unnest($1::text[], $2::int[]) AS g(projection, version) CROSS JOIN unnest($3::int[]) AS p(partition)
       ORDER BY p.partition, g.projection, g.version
       ON CONFLICT DO NOTHING`, [names, generations, partitions]));
    ({ rows } = await lockAndRead());
  }
  const applied = await Promise.all(runners.map(async (runner, index) => {
    const { locked, seen, versions } = rows[index]!;
    const moved = partitions.some((partition) => locked?.[partition] !== seen?.[partition]);
    return { locked: locked ?? {}, versions: new Map(moved ? await runner.appliedVersions(tx, streamIds) : versions ?? []) };
  }));
  return byPartition.flatMap(({ batch, decoded }) => runners.flatMap((runner, index) => {
    const { locked, versions } = applied[index]!;
    return runner.plan(batch.partition, decoded, BigInt(locked[batch.partition] ?? '0'), versions) ?? [];
  }));
}

/** Whether two plans moved the same streams to the same versions. */
function sameVersions(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [streamId, version] of a) if (b.get(streamId) !== version) return false;
  return true;
}

/**
 * The plans' stream versions as sets: the generations that applied a partition's batch together
 * almost always moved the same streams to the same versions, so each set travels once and the
 * statement writes it for every generation that shares it (8 rows a stream, from one).
 */
function streamSets(plans: readonly BatchPlan[]): { members: number[]; sets: Array<ReadonlyMap<string, number>> } {
  const sets: Array<ReadonlyMap<string, number>> = [];
  const members = plans.map(({ changed }) => {
    const known = sets.findIndex((set) => sameVersions(set, changed));
    return known >= 0 ? known : sets.push(changed) - 1;
  });
  return { members, sets };
}

/**
 * The streams' applied versions, the checkpoints and the progress notifications of every plan in
 * one round trip: a batch's bookkeeping costs one statement whatever its size and however many
 * generations share it. A live generation notifies every batch (consistency waits and the live
 * stream hear it); a rebuild at most once a second, for the stream's progress: every notifying
 * commit queues on one lock.
 */
export async function recordProgress(tx: pg.PoolClient, plans: readonly BatchPlan[]): Promise<void> {
  const { members, sets } = streamSets(plans);
  const streams = sets.flatMap((set, index) => [...set].map(([streamId, version]) => [index, streamId, version] as const));
  const checkpoints = plans.map(({ runner, partition, nextOffset, toApply, lastEventAt }) => ({
    projection: runner.projection.name, version: runner.generation, partition, next_offset: nextOffset.toString(), applied: toApply.length,
    last_event_at: lastEventAt,
  }));
  await tx.query(prepared(
    `WITH streams AS (
       INSERT INTO projection_streams (projection, version, stream_id, last_version)
       SELECT m.projection, m.version, s.stream_id, s.last_version
       FROM unnest($1::text[], $2::int[], $3::int[]) AS m(projection, version, stream_set)
       JOIN unnest($4::int[], $5::text[], $6::int[]) AS s(stream_set, stream_id, last_version) USING (stream_set)
       ON CONFLICT (projection, version, stream_id) DO UPDATE SET last_version = EXCLUDED.last_version
     ), checkpoint AS (
       INSERT INTO projection_checkpoints (projection, version, partition, next_offset, events_applied, last_event_at, updated_at)
       SELECT c.projection, c.version, c.partition, c.next_offset, c.applied, c.last_event_at, now()
       FROM json_to_recordset($7::json) AS c(projection text, version int, partition int, next_offset bigint, applied int, last_event_at timestamptz)
       ON CONFLICT (projection, version, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now(),
         events_applied = projection_checkpoints.events_applied + EXCLUDED.events_applied,
         last_event_at = greatest(projection_checkpoints.last_event_at, EXCLUDED.last_event_at)
     )
     SELECT pg_notify('${projectionChannel}', notice) FROM unnest($8::text[]) AS notice WHERE notice IS NOT NULL`,
    [plans.map(({ runner }) => runner.projection.name), plans.map(({ runner }) => runner.generation), members,
      streams.map(([set]) => set), streams.map(([, streamId]) => streamId), streams.map(([, , version]) => version),
      JSON.stringify(checkpoints), plans.map((plan) => plan.runner.progressNotice(plan))]));
}

/**
 * Every runner applies the batches (of different partitions) in one shared transaction: one
 * statement locks and reads every runner's checkpoints and versions, each runner's SQL runs once for
 * all the batches, then one bookkeeping statement and one commit, instead of all of that per runner
 * and per partition. False, with nothing applied, when any runner would set an event aside
 * (unreadable, or after a version gap): that is each runner's own failure policy to apply, batch by
 * batch.
 */
export async function applyTogether(pool: pg.Pool, runners: readonly ProjectionRunner[], batches: readonly DecodedBatch[]): Promise<boolean> {
  const tx = await pool.connect();
  let due: BatchPlan[];
  try {
    await tx.query('BEGIN');
    due = await planBatches(tx, runners, batches);
    if (due.some((plan) => plan.failures.length > 0)) {
      await tx.query('ROLLBACK');
      return false;
    }
    for (const runner of runners) await runner.applyPlans(tx, due.filter((plan) => plan.runner === runner));
    if (due.length > 0) await recordProgress(tx, due);
    await tx.query('COMMIT');
  } catch (error) {
    await tx.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    tx.release();
  }
  await Promise.all(due.map((plan) => plan.runner.committed(plan)));
  return true;
}
