// The live projections read the events topic once, together (ADR 0008): one consumer group fetches
// and decodes each partition batch once, and every projection generation applies the batches at
// hand in one shared transaction, each with its own checkpoints (ADR 0010); when that fails, each
// applies each batch in a transaction of its own, exactly as it would from a group of its own.
import { Logger } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import { type ConsumedBatch, EventLogConsumer } from '#event-log';
import { liveProjectionsGroup } from './consumer-groups.js';
import { applyTogether, type DecodedBatch, decodeRecord, Halt, type ProjectionRunner } from './projection-runner.js';

export type LiveProjectionsOptions = {
  topic: string;
  groupPrefix: string;
};

/** Partitions whose batches kafkajs hands over at once, to be applied together. */
const partitionsTogether = 16;
/**
 * A group stops taking batches once it holds this many records: a catch-up (a restart, a rebuild)
 * goes batch by batch as before, with transactions of a bounded size, while a trickle of a few
 * events per partition is still applied together.
 */
const recordsTogether = 1_000;
/**
 * Groups applied at once, each on its own connection. They never share a partition (kafkajs hands
 * over a partition's next batch only once its last one is done), and two let a catch-up keep both
 * of Postgres's cores here busy, as the transactions of each member did before (ADR 0010).
 */
const groupsAtOnce = 2;

type WaitingBatch = DecodedBatch & { resolve: () => void; reject: (error: unknown) => void };

export class LiveProjectionsRunner {
  private readonly logger = new Logger('LiveProjections');
  private readonly consumer: EventLogConsumer;
  /** Batches waiting for the next shared transaction. */
  private waiting: WaitingBatch[] = [];
  /** Groups being applied, each in its transaction on its own connection. */
  private applying = 0;

  constructor(
    readonly members: readonly ProjectionRunner[],
    private readonly pool: pg.Pool,
    kafka: Kafka,
    private readonly options: LiveProjectionsOptions,
  ) {
    // The group's committed offsets only save a seek: each partition starts at the lowest
    // checkpoint of its members, so the group may outlive any member set.
    this.consumer = new EventLogConsumer(kafka, liveProjectionsGroup(options.groupPrefix));
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
      partitionsConcurrently: partitionsTogether,
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
   * Queues a partition's batch for the next shared transaction and resolves once it is applied
   * (its offset is then committed). The batches kafkajs hands over at once, the partitions of one
   * fetch, and those that arrive while a transaction runs go in together: a few events a partition
   * at a time still make one transaction for all of them (ADR 0010).
   */
  private apply(batch: ConsumedBatch): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ batch, decoded: batch.records.map(decodeRecord), resolve, reject });
      this.applyWaiting();
    });
  }

  /** Starts appliers while there are batches waiting, up to `groupsAtOnce` of them. */
  private applyWaiting(): void {
    while (this.applying < groupsAtOnce && this.applying < this.waiting.length) {
      this.applying++;
      void this.applyGroups().finally(() => {
        this.applying--;
        this.applyWaiting();
      });
    }
  }

  private async applyGroups(): Promise<void> {
    // kafkajs hands over the other partitions of the same fetch within this turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.waiting.length > 0) {
      const group = this.nextGroup();
      const members = this.members.filter((member) => !member.progress.halted);
      let applied = false;
      try {
        applied = await applyTogether(this.pool, members, group);
      } catch (error) {
        this.logger.debug({ partitions: group.map((item) => item.batch.partition), err: (error as Error).message },
          'applying the batches together failed; each member applies each batch alone');
      }
      await Promise.all(group.map(async (item) => {
        try {
          if (!applied) await this.applyAlone(item, members);
          item.resolve();
        } catch (error) {
          item.reject(error);
        }
      }));
    }
  }

  /** The waiting batches, oldest first, up to the first that brings the group to `recordsTogether` records. */
  private nextGroup(): WaitingBatch[] {
    let records = 0;
    let taken = 0;
    while (taken < this.waiting.length && records < recordsTogether) records += this.waiting[taken++]!.batch.records.length;
    return this.waiting.splice(0, taken);
  }

  /**
   * Each member applies the batch in its own transaction, concurrently, with its own retries and
   * failure policy. The batch is done only when all are: a member that failed makes Kafka deliver
   * it again, and the members that committed skip it by their checkpoints. A member the halt policy
   * stopped sits out until the projector restarts this runner without it.
   */
  private async applyAlone({ batch, decoded }: DecodedBatch, members: readonly ProjectionRunner[]): Promise<void> {
    const outcomes = await Promise.allSettled(members.map((member) => member.applyDecoded(batch, decoded)));
    const failed = outcomes.find((outcome) => outcome.status === 'rejected' && !(outcome.reason instanceof Halt));
    if (failed) throw (failed as PromiseRejectedResult).reason;
    if (outcomes.some((outcome) => outcome.status === 'rejected')) {
      this.logger.warn({ halted: this.members.filter((member) => member.progress.halted).map((member) => member.projection.name) },
        'a projection halted; the others go on');
    }
  }
}
