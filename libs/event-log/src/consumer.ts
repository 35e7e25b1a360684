// Runs a consumer group over one topic, a batch at a time; offsets are committed only after the
// handler has finished with a batch, so a crash means redelivery, never loss.
import { Logger } from '@nestjs/common';
import type { Consumer, Kafka } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';

export type ConsumedRecord = {
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
  partition: number;
  offset: string;
  timestamp: string;
};

export type ConsumedBatch = { topic: string; partition: number; records: ConsumedRecord[] };

export type ConsumerRunOptions = {
  topic: string;
  fromBeginning: boolean;
  handleBatch: (batch: ConsumedBatch) => Promise<void>;
  /**
   * Where to start each newly assigned partition, when the consumer keeps its own checkpoints:
   * they, not Kafka's committed offsets, are the truth.
   */
  startAt?: (partitions: number[]) => Promise<Map<number, string>>;
  /** How many partitions' batches run at once. */
  partitionsConcurrently?: number;
};

/** A Kafka record's headers as text (kafkajs gives Buffers, or arrays of them for repeated headers). */
export function headerText(headers: Record<string, unknown> | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    text[name] = Array.isArray(value) ? String(value[0]) : String(value);
  }
  return text;
}

/** Why a consumer was replaced, in a few kinds (a metric label; the log line has the details). */
export type ReplacementKind = 'crash' | 'stall' | 'start-failed' | 'start-position-unreadable';

export type ConsumerReplacements = { group: string; kind: ReplacementKind; count: number };

const replacementCounts = new Map<string, ConsumerReplacements>();

/** The replacements of this process's consumers so far, by group and kind (`chancery_consumer_replacements_total`). */
export function consumerReplacements(): ConsumerReplacements[] {
  return [...replacementCounts.values()].map((entry) => ({ ...entry }));
}

/**
 * The groups the consumers of each Kafka client are members of, with their topic: one client per app,
 * so each app's /metrics reports the lag of its own groups (several apps share a process in tests).
 */
const groupsByClient = new WeakMap<Kafka, Map<string, { topic: string; members: number }>>();

export type ConsumerGroupTopic = { group: string; topic: string };

/** The groups consumers on this client run in now, each with the topic it reads. */
export function consumerGroupsOf(kafka: Kafka): ConsumerGroupTopic[] {
  return [...(groupsByClient.get(kafka) ?? new Map<string, { topic: string }>())].map(([group, { topic }]) => ({ group, topic }));
}

function memberJoined(kafka: Kafka, group: string, topic: string): void {
  const groups = groupsByClient.get(kafka) ?? new Map<string, { topic: string; members: number }>();
  groupsByClient.set(kafka, groups);
  const known = groups.get(group);
  groups.set(group, { topic, members: (known?.members ?? 0) + 1 });
}

function memberLeft(kafka: Kafka, group: string): void {
  const groups = groupsByClient.get(kafka);
  const known = groups?.get(group);
  if (!groups || !known) return;
  if (known.members > 1) groups.set(group, { ...known, members: known.members - 1 });
  else groups.delete(group);
}

/** How long a consumer may show no sign of life (fetch, batch, heartbeat, join) before it is replaced. */
const stalledAfterMs = 45_000;
const watchEveryMs = 5_000;
const retryStartMs = 5_000;

/**
 * A consumer group member that keeps consuming whatever happens to the broker. kafkajs restarts a
 * consumer after a retriable failure, but not after a non-retriable one (a member fenced or
 * forgotten by a restarted coordinator), and a consumer can hang on a dead connection without
 * failing at all. Either way this replaces the kafkajs consumer with a new member of the same
 * group: the partitions' checkpoints, not the member, decide where consumption resumes.
 */
export class EventLogConsumer {
  private readonly logger = new Logger('EventLogConsumer');
  private consumer?: Consumer;
  private options?: ConsumerRunOptions;
  private lastSignOfLife = Date.now();
  private watchdog?: NodeJS.Timeout;
  private retry?: NodeJS.Timeout;
  private stopped = false;
  private stopping?: Promise<void>;
  /** Why the kafkajs consumer was replaced, each time (a crash it would not restart from, or a stall). */
  readonly replacements: string[] = [];

  /** `leaveWithinMs`: how long a stop waits for kafkajs to finish its batch and leave the group. */
  constructor(private readonly kafka: Kafka, readonly groupId: string, private readonly settings = { leaveWithinMs: 15_000 }) {}

  /** Runs until `stop`; a consumer stopped before it runs never starts. */
  async run(options: ConsumerRunOptions): Promise<void> {
    if (this.stopped) return;
    this.options = options;
    memberJoined(this.kafka, this.groupId, options.topic);
    this.watchdog = setInterval(() => {
      if (Date.now() - this.lastSignOfLife > stalledAfterMs) this.replace('stall', 'no fetch, batch or heartbeat for 45 s');
    }, watchEveryMs);
    this.watchdog.unref();
    await this.launch();
  }

  /** Stops for good; a second call waits for the first to finish. */
  stop(): Promise<void> {
    this.stopping ??= this.leave();
    return this.stopping;
  }

  private async leave(): Promise<void> {
    if (this.options && !this.stopped) memberLeft(this.kafka, this.groupId);
    this.stopped = true;
    clearInterval(this.watchdog);
    clearTimeout(this.retry);
    const consumer = this.consumer;
    this.consumer = undefined;
    if (!consumer) return;
    // kafkajs leaves the group once the batch in hand is done, but a member caught in a rebalance
    // waits for it to end first (up to the rebalance timeout). A shutdown does not wait that long:
    // the checkpoints, not the membership, say what was applied.
    const left = consumer.disconnect().then(() => true, () => true);
    const deadline = new AbortController();
    const { leaveWithinMs } = this.settings;
    const inTime = await Promise.race([left, sleep(leaveWithinMs, false, { signal: deadline.signal }).catch(() => false)]);
    deadline.abort();
    if (!inTime) this.logger.warn({ group: this.groupId }, `the consumer did not leave its group within ${leaveWithinMs / 1000} s; stopping without it`);
  }

  /** Starts a kafkajs consumer; one that cannot (Kafka unreachable, still starting) is tried again shortly. */
  private async launch(): Promise<void> {
    try {
      await this.start();
    } catch (error) {
      if (this.stopped) return;
      this.logger.warn({ group: this.groupId, err: (error as Error).message }, `the consumer could not start; trying again in ${retryStartMs / 1000} s`);
      this.retry = setTimeout(() => this.replace('start-failed', 'it could not start'), retryStartMs);
      this.retry.unref();
    }
  }

  private create(): Consumer {
    const consumer: Consumer = this.kafka.consumer({
      groupId: this.groupId,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: 4 * 1024 * 1024,
      // The broker answers a fetch as soon as it has a record, and holds an idle one for up to
      // 250 ms. Batches still grow with the load, by themselves: records arriving while a batch is
      // applied make the next one. (Waiting for 32 KB cost every event of a trickle 50 ms.)
      minBytes: 1,
      maxWaitTimeInMs: 250,
      // A 10 s session (kafkajs: 30 s) lets a crashed member's partitions move on sooner; batches
      // heartbeat while they are applied (below), so a long one does not cost the membership.
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      // A consumer that gave up is worse than one that retries: keep restarting, whatever failed;
      // but not one stopped or replaced meanwhile. A stop that lands while it connects or joins fails
      // it with a retriable error, and kafkajs's restart, on a timer of its own, would bring it back.
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000, restartOnFailure: async () => !this.stopped && this.consumer === consumer },
    });
    return consumer;
  }

  /** Connects a new kafkajs consumer and runs it. */
  private async start(): Promise<void> {
    const options = this.options!;
    const consumer = this.create();
    this.consumer = consumer;
    this.lastSignOfLife = Date.now();
    const alive = () => {
      if (this.consumer === consumer) this.lastSignOfLife = Date.now();
    };
    for (const event of [consumer.events.FETCH, consumer.events.START_BATCH_PROCESS, consumer.events.HEARTBEAT, consumer.events.GROUP_JOIN]) {
      consumer.on(event, alive);
    }
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.consumer !== consumer) return;
      this.replace('crash', `kafkajs will not restart it after: ${payload.error.message}`);
    });
    await consumer.connect();
    if (this.consumer !== consumer) {
      // Stopped (or replaced) while it connected: kafkajs may have finished connecting after the disconnect.
      await consumer.disconnect();
      return;
    }
    await consumer.subscribe({ topic: options.topic, fromBeginning: options.fromBeginning });
    if (options.startAt) {
      const startAt = options.startAt;
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        const partitions = payload.memberAssignment[options.topic] ?? [];
        startAt(partitions).then(
          (offsets) => {
            try {
              for (const [partition, offset] of offsets) consumer.seek({ topic: options.topic, partition, offset });
            } catch {
              // The member crashed or stopped since it joined; its next join (or its successor) seeks again.
            }
          },
          // Not knowing where to start, it must not consume at all: a new member asks again.
          (error: Error) => this.replace('start-position-unreadable', `could not read where to start: ${error.message}`),
        );
      });
    }
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return;
        // kafkajs heartbeats only when asked to: keep asking while the batch is being applied.
        const beating = setInterval(() => void heartbeat().then(alive, () => {}), 1_000);
        try {
          await options.handleBatch({
            topic: batch.topic,
            partition: batch.partition,
            records: batch.messages.map((message) => ({
              key: message.key?.toString() ?? null,
              value: message.value ?? Buffer.alloc(0),
              headers: headerText(message.headers),
              partition: batch.partition,
              offset: message.offset,
              timestamp: message.timestamp,
            })),
          });
        } finally {
          clearInterval(beating);
        }
        alive();
        const last = batch.messages.at(-1)!.offset;
        resolveOffset(last);
        await consumer.commitOffsets([
          { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
        ]);
        await heartbeat();
      },
    });
    // Stopped while it joined: kafkajs can go on consuming after a disconnect that came before run resolved.
    if (this.consumer !== consumer) await consumer.disconnect();
  }

  /**
   * Drops the current kafkajs consumer (without waiting on it: a hung one may never finish
   * disconnecting) and starts a new member. A batch the old one was still applying is harmless:
   * the checkpoint row it locks makes the new member skip what the old one committed.
   */
  private replace(kind: ReplacementKind, reason: string): void {
    if (this.stopped) return;
    this.replacements.push(reason);
    const key = `${this.groupId}\u0000${kind}`;
    const counted = replacementCounts.get(key) ?? { group: this.groupId, kind, count: 0 };
    counted.count++;
    replacementCounts.set(key, counted);
    this.logger.warn({ group: this.groupId, reason }, 'replacing the consumer');
    const old = this.consumer;
    this.consumer = undefined;
    this.lastSignOfLife = Date.now();
    void old?.disconnect().catch(() => {});
    void this.launch();
  }
}
