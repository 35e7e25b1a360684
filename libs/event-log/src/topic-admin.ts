// Creates the deployment's topics and corrects the configs of ones that already exist:
// `createTopics` leaves an existing topic as it is, whatever it was created with.
import kafkajs, { type Admin } from 'kafkajs';

const { ConfigResourceTypes } = kafkajs;
import type { Topics } from './topics.js';

export type TopicSpec = { topic: string; numPartitions: number; configs: Record<string, string> };

export function topicSpecs(topics: Topics, eventPartitions: number): TopicSpec[] {
  const keepForever = { 'retention.ms': '-1', 'retention.bytes': '-1', 'cleanup.policy': 'delete' };
  return [
    { topic: topics.events, numPartitions: eventPartitions, configs: keepForever },
    { topic: topics.alerts, numPartitions: 3, configs: keepForever },
    { topic: topics.eventsDlq, numPartitions: 1, configs: keepForever },
  ];
}

export class TopicPartitionMismatch extends Error {}

export async function ensureTopics(admin: Admin, specs: TopicSpec[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.topic));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.topic,
        numPartitions: spec.numPartitions,
        replicationFactor: -1,
        configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
      })),
    });
  }
  const present = specs.filter((spec) => existing.has(spec.topic));
  if (present.length === 0) return;

  const metadata = await admin.fetchTopicMetadata({ topics: present.map((spec) => spec.topic) });
  for (const spec of present) {
    const partitions = metadata.topics.find((topic) => topic.name === spec.topic)!.partitions.length;
    // Keys map to partitions by count: changing it would break per-stream order, so refuse.
    if (partitions !== spec.numPartitions) {
      throw new TopicPartitionMismatch(
        `topic ${spec.topic} has ${partitions} partitions, configured ${spec.numPartitions}; ` +
          'set CHANCERY_EVENT_PARTITIONS to the existing count',
      );
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
  if (drifted.length === 0) return;
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
}
