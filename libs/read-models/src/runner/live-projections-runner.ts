// The live projections read the events topic once, together (ADR 0008): one consumer group fetches
// and decodes each partition batch once, and every projection generation applies it in a
// transaction of its own, with its own checkpoint, exactly as it would from a group of its own.
import { Logger } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import { type ConsumedBatch, EventLogConsumer } from '#event-log';
import { applyTogether, decodeRecord, Halt, type ProjectionRunner } from './projection-runner.js';

export type LiveProjectionsOptions = {
  topic: string;
  groupPrefix: string;
};

export class LiveProjectionsRunner {
  private readonly logger = new Logger('LiveProjections');
  private readonly consumer: EventLogConsumer;

  constructor(
    readonly members: readonly ProjectionRunner[],
    private readonly pool: pg.Pool,
    kafka: Kafka,
    private readonly options: LiveProjectionsOptions,
  ) {
    // The group's committed offsets only save a seek: each partition starts at the lowest
    // checkpoint of its members, so the group may outlive any member set.
    this.consumer = new EventLogConsumer(kafka, `${options.groupPrefix}.projections.live`);
  }

  /** `name@generation` of each member, sorted: the projector restarts the runner when it changes. */
  static keyOf(members: ReadonlyArray<Pick<ProjectionRunner, 'projection' | 'generation'>>): string {
    return members.map((member) => `${member.projection.name}@${member.generation}`).sort().join(',');
  }

  get key(): string {
    return LiveProjectionsRunner.keyOf(this.members);
  }

  async start(): Promise<void> {
    await this.consumer.run({
      topic: this.options.topic,
      fromBeginning: true,
      partitionsConcurrently: 2,
      startAt: (partitions) => this.lowestCheckpoints(partitions),
      handleBatch: (batch) => this.apply(batch),
    });
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  /** A member ahead on a partition skips what it has applied: its own checkpoint decides. */
  private async lowestCheckpoints(partitions: number[]): Promise<Map<number, string>> {
    const lowest = new Map<number, bigint>();
    for (const member of this.members) {
      for (const [partition, offset] of await member.checkpoints(partitions)) {
        const known = lowest.get(partition);
        if (known === undefined || offset < known) lowest.set(partition, offset);
      }
    }
    return new Map([...lowest].map(([partition, offset]) => [partition, offset.toString()]));
  }

  /**
   * The members apply the batch together, in one transaction (ADR 0010). When that fails, or a
   * member would set an event aside, each applies it alone, concurrently, in its own transaction
   * with its own retries and failure policy. The batch is done (and its offset committed) only when
   * all are: a member that failed makes Kafka deliver it again, and the members that committed skip
   * it by their checkpoints. A member the halt policy stopped sits out until the projector restarts
   * this runner without it.
   */
  private async apply(batch: ConsumedBatch): Promise<void> {
    const decoded = batch.records.map(decodeRecord);
    const members = this.members.filter((member) => !member.progress.halted);
    try {
      if (await applyTogether(this.pool, members, batch, decoded)) return;
    } catch (error) {
      this.logger.debug({ partition: batch.partition, err: (error as Error).message }, 'the batch failed applied together; each member applies it alone');
    }
    const outcomes = await Promise.allSettled(members.map((member) => member.applyDecoded(batch, decoded)));
    const failed = outcomes.find((outcome) => outcome.status === 'rejected' && !(outcome.reason instanceof Halt));
    if (failed) throw (failed as PromiseRejectedResult).reason;
    if (outcomes.some((outcome) => outcome.status === 'rejected')) {
      this.logger.warn({ halted: this.members.filter((member) => member.progress.halted).map((member) => member.projection.name) },
        'a projection halted; the others go on');
    }
  }
}
