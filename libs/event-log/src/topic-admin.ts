// Creates the deployment's topics and corrects the configs of ones that already exist:
// `createTopics` leaves an existing topic as it is, whatever it was created with.
import kafkajs, { type Admin } from 'kafkajs';

const { ConfigResourceTypes } = kafkajs;
import type { Topics } from './topics.js';

/** `replicationFactor` unset: the broker's `default.replication.factor`. */
export type TopicSpec = { topic: string; numPartitions: number; replicationFactor?: number; configs: Record<string, string> };

/** Replicas per partition and the in-sync ones a write needs; unset, the brokers' defaults. */
export type TopicReplication = { replicationFactor?: number | undefined; minInSyncReplicas?: number | undefined };

export function topicSpecs(topics: Topics, eventPartitions: number, replication: TopicReplication = {}): TopicSpec[] {
  const configs: Record<string, string> = { 'retention.ms': '-1', 'retention.bytes': '-1', 'cleanup.policy': 'delete' };
  if (replication.minInSyncReplicas !== undefined) configs['min.insync.replicas'] = String(replication.minInSyncReplicas);
  const replicas = replication.replicationFactor === undefined ? {} : { replicationFactor: replication.replicationFactor };
  return [
    { topic: topics.events, numPartitions: eventPartitions, ...replicas, configs },
    { topic: topics.alerts, numPartitions: 3, ...replicas, configs },
    { topic: topics.eventsDlq, numPartitions: 1, ...replicas, configs },
  ];
}

/** An existing topic with fewer replicas than configured: Kafka changes that only by a reassignment. */
export type ReplicationShortfall = { topic: string; replicas: number; configured: number };

export class TopicPartitionMismatch extends Error {}

/** Creates what is missing and corrects configs; returns the existing topics with fewer replicas than configured. */
export async function ensureTopics(admin: Admin, specs: TopicSpec[]): Promise<ReplicationShortfall[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.topic));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.topic,
        numPartitions: spec.numPartitions,
        replicationFactor: spec.replicationFactor ?? -1,
        configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
      })),
    });
  }
  const present = specs.filter((spec) => existing.has(spec.topic));
  if (present.length === 0) return [];

  const metadata = await admin.fetchTopicMetadata({ topics: present.map((spec) => spec.topic) });
  const shortfalls: ReplicationShortfall[] = [];
  for (const spec of present) {
    const topicPartitions = metadata.topics.find((topic) => topic.name === spec.topic)!.partitions;
    const partitions = topicPartitions.length;
    // Keys map to partitions by count: changing it would break per-stream order, so refuse.
    if (partitions !== spec.numPartitions) {
      throw new TopicPartitionMismatch(
        `topic ${spec.topic} has ${partitions} partitions, configured ${spec.numPartitions}; ` +
          'set CHANCERY_EVENT_PARTITIONS to the existing count',
      );
    }
    // Fewer replicas than wanted is a durability risk, not a wrong answer: reported, not refused.
    const replicas = Math.min(...topicPartitions.map((partition) => partition.replicas.length));
    if (spec.replicationFactor !== undefined && replicas < spec.replicationFactor) {
      shortfalls.push({ topic: spec.topic, replicas, configured: spec.replicationFactor });
    }
  }

  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((spec) => ({ type: ConfigResourceTypes.TOPIC, name: spec.topic })),
  });
  const drifted = present.filter((spec) => {
    const entries = described.resources.find((resource) => resource.resourceName === spec.topic)!.configEntries;
    return Object.entries(spec.configs).some(
      ([name, value]) => entries.find((entry) => entry.configName === name)?.configValue !== value,
    );
  });
  for (const spec of drifted) {
    // alterConfigs replaces the topic's whole dynamic config; ours is the whole intended config.
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{
        type: ConfigResourceTypes.TOPIC,
        name: spec.topic,
        configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
      }],
    });
  }
  return shortfalls;
}
