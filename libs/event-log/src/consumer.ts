// Runs a consumer group over one topic, a batch at a time; offsets are committed only after the
// handler has finished with a batch, so a crash means redelivery, never loss.
import type { Consumer, Kafka } from 'kafkajs';

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

function headerText(headers: Record<string, unknown> | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    text[name] = Array.isArray(value) ? String(value[0]) : String(value);
  }
  return text;
}

export class EventLogConsumer {
  private readonly consumer: Consumer;

  constructor(kafka: Kafka, readonly groupId: string) {
    this.consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: 4 * 1024 * 1024,
      // Under a steady trickle of events the broker waits up to 50 ms to fill a batch of 32 KB:
      // one transaction per few dozen events instead of one per event, for ≤ 50 ms of latency.
      minBytes: 32 * 1024,
      maxWaitTimeInMs: 50,
      // A 10 s session (kafkajs: 30 s) lets a crashed member's partitions move on sooner; batches
      // heartbeat while they are applied (below), so a long one does not cost the membership.
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      // A consumer that gave up is worse than one that retries: keep restarting, whatever failed.
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000, restartOnFailure: async () => true },
    });
  }

  async run(options: ConsumerRunOptions): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: options.topic, fromBeginning: options.fromBeginning });
    if (options.startAt) {
      const startAt = options.startAt;
      this.consumer.on(this.consumer.events.GROUP_JOIN, async ({ payload }) => {
        const partitions = payload.memberAssignment[options.topic] ?? [];
        const offsets = await startAt(partitions);
        for (const [partition, offset] of offsets) this.consumer.seek({ topic: options.topic, partition, offset });
      });
    }
    await this.consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return;
        // kafkajs heartbeats only when asked to: keep asking while the batch is being applied.
        const beating = setInterval(() => void heartbeat().catch(() => {}), 1_000);
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
        const last = batch.messages.at(-1)!.offset;
        resolveOffset(last);
        await this.consumer.commitOffsets([
          { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
        ]);
        await heartbeat();
      },
    });
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}
