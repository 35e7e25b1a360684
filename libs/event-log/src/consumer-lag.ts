// Kafka's consumer lag: per group and partition, the events on the topic past the group's committed
// offset (what kafka-consumer-groups shows as LAG). The consumers commit right after each batch's
// Postgres commit, so it is also how far the group's checkpoints are behind.
import type { Kafka } from 'kafkajs';
import type { ConsumerGroupTopic } from './consumer.js';

export type PartitionConsumerLag = ConsumerGroupTopic & { partition: number; events: number };

export async function consumerGroupLag(kafka: Kafka, groups: readonly ConsumerGroupTopic[]): Promise<PartitionConsumerLag[]> {
  if (groups.length === 0) return [];
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = new Map<string, Map<number, { low: bigint; high: bigint }>>();
    for (const topic of new Set(groups.map(({ topic }) => topic))) {
      const offsets = await admin.fetchTopicOffsets(topic);
      ends.set(topic, new Map(offsets.map(({ partition, low, high }) => [partition, { low: BigInt(low), high: BigInt(high) }])));
    }
    const lag: PartitionConsumerLag[] = [];
    for (const { group, topic } of groups) {
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      const byPartition = new Map((committed?.partitions ?? []).map(({ partition, offset }) => [partition, BigInt(offset)]));
      for (const [partition, { low, high }] of ends.get(topic)!) {
        // Nothing committed yet (-1): the group has all that the partition still holds ahead of it.
        const at = byPartition.get(partition) ?? -1n;
        const from = at >= 0n ? at : low;
        lag.push({ group, topic, partition, events: Number(high > from ? high - from : 0n) });
      }
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}
