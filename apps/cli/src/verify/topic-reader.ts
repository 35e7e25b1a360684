// Reads every record of a topic, from the first offset each partition still holds up to a fixed end,
// with a throwaway consumer group that commits nothing and is deleted afterwards.
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { headerText } from '#event-log';
import type { TopicRecord } from './record-check.js';

export type PartitionRange = { partition: number; start: bigint; end: bigint };

export type ReadTopicOptions = {
  topic: string;
  groupPrefix: string;
  /** Per partition: the records to read are start ≤ offset < end. */
  ranges: PartitionRange[];
  /** Called one Kafka batch at a time; the next batch waits for it (back-pressure on the caller's writes). */
  onRecords: (records: TopicRecord[]) => Promise<void>;
  /** How long the broker may send nothing while records are still expected. */
  stallMs?: number;
};

export async function readTopic(kafka: Kafka, options: ReadTopicOptions): Promise<void> {
  const ends = new Map(options.ranges.map((range) => [range.partition, range.end]));
  const pending = new Set(options.ranges.filter((range) => range.end > range.start).map((range) => range.partition));
  if (pending.size === 0) return;

  const groupId = `${options.groupPrefix}.verify.${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxBytesPerPartition: 1024 * 1024 });
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = (error) => {
      failed = true;
      reject(error);
    };
  });
  let failed = false;
  let lastProgress = Date.now();
  const stallMs = options.stallMs ?? 60_000;
  const watchdog = setInterval(() => {
    if (Date.now() - lastProgress > stallMs) {
      fail(new Error(`no records from partition(s) ${[...pending].join(', ')} of ${options.topic} for ${stallMs / 1000} s`));
    }
  }, 1_000);

  try {
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat }) => {
        const end = ends.get(batch.partition);
        if (failed || end === undefined || !pending.has(batch.partition) || batch.messages.length === 0) return;
        lastProgress = Date.now();
        const records = batch.messages.filter((message) => BigInt(message.offset) < end).map((message) => ({
          partition: batch.partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value ?? Buffer.alloc(0),
          headers: headerText(message.headers),
        }));
        try {
          if (records.length > 0) await options.onRecords(records);
        } catch (error) {
          fail(error as Error);
          return;
        }
        if (BigInt(batch.messages.at(-1)!.offset) + 1n >= end) {
          pending.delete(batch.partition);
          consumer.pause([{ topic: options.topic, partitions: [batch.partition] }]);
          if (pending.size === 0) finish();
        }
        await heartbeat();
      },
    });
    await finished;
  } finally {
    clearInterval(watchdog);
    await consumer.disconnect().catch(() => {});
    const admin = kafka.admin();
    await admin.connect().then(() => admin.deleteGroups([groupId])).catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}
