import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import kafkajs, { type Kafka } from 'kafkajs';
import { createHook } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const { ConfigResourceTypes } = kafkajs;
import { deleteTestTopics, testBrokers, testTopicPrefix } from '#testing';
import { consumerReplacements, EventLogConsumer, type ConsumedRecord } from './consumer.js';
import { createKafka } from './kafka-client.js';
import { EventLogProducer } from './producer.js';
import { ensureTopics, topicSpecs, TopicPartitionMismatch } from './topic-admin.js';
import { topicsFor } from './topics.js';

describe('Kafka adapter against the real broker', () => {
  const prefix = testTopicPrefix();
  const topics = topicsFor(prefix);
  let kafka: Kafka;

  beforeAll(() => {
    kafka = createKafka(testBrokers(), 'event-log-int');
  });

  afterAll(() => deleteTestTopics(prefix));

  async function withAdmin<T>(work: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.disconnect();
    }
  }

  it('creates the topics with their partitions and keeps events forever', async () => {
    await withAdmin((admin) => ensureTopics(admin, topicSpecs(topics, 4)));

    const { metadata, configs } = await withAdmin(async (admin) => ({
      metadata: await admin.fetchTopicMetadata({ topics: [topics.events, topics.alerts, topics.eventsDlq] }),
      configs: await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topics.events }],
      }),
    }));
    expect(metadata.topics.find((topic) => topic.name === topics.events)!.partitions).toHaveLength(4);
    expect(metadata.topics.map((topic) => topic.name).sort()).toEqual([topics.alerts, topics.events, topics.eventsDlq].sort());
    const retention = configs.resources[0]!.configEntries.find((entry) => entry.configName === 'retention.ms');
    expect(retention?.configValue).toBe('-1');
  });

  it('puts back the retention of an existing topic whose config drifted', async () => {
    await withAdmin(async (admin) => {
      await ensureTopics(admin, topicSpecs(topics, 4));
      await admin.alterConfigs({
        validateOnly: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topics.events, configEntries: [{ name: 'retention.ms', value: '60000' }] }],
      });
      await ensureTopics(admin, topicSpecs(topics, 4));
    });
    const configs = await withAdmin((admin) =>
      admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topics.events }] }));
    expect(configs.resources[0]!.configEntries.find((entry) => entry.configName === 'retention.ms')?.configValue).toBe('-1');
  });

  it('sets the configured min.insync.replicas on existing topics, and reports a topic with fewer replicas than configured', async () => {
    const shortfalls = await withAdmin(async (admin) => {
      await ensureTopics(admin, topicSpecs(topics, 4));
      // One broker here: the topics have one replica each, whatever a cluster's deployment wants.
      return ensureTopics(admin, topicSpecs(topics, 4, { replicationFactor: 3, minInSyncReplicas: 1 }));
    });
    expect(shortfalls).toEqual([topics.events, topics.alerts, topics.eventsDlq].map((topic) => ({ topic, replicas: 1, configured: 3 })));
    const configs = await withAdmin((admin) =>
      admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topics.alerts }] }));
    const entries = configs.resources[0]!.configEntries;
    // Set on the topic itself (the broker's default is the same 1 here).
    expect(entries.find((entry) => entry.configName === 'min.insync.replicas')).toMatchObject({ configValue: '1', isDefault: false });
    expect(entries.find((entry) => entry.configName === 'retention.ms')?.configValue).toBe('-1');
  });

  it('refuses an existing events topic whose partition count differs from the configured one', async () => {
    await expect(withAdmin((admin) => ensureTopics(admin, topicSpecs(topics, 6)))).rejects.toThrow(TopicPartitionMismatch);
  });

  it('delivers keyed records back with their keys, headers and order per key', async () => {
    await withAdmin((admin) => ensureTopics(admin, topicSpecs(topics, 4)));
    const producer = new EventLogProducer(kafka);
    await producer.connect();
    const streams = ['demand-1', 'demand-2', 'meeting-7', 'party-RUS', 'warning-3'];
    const records = Array.from({ length: 100 }, (_, index) => {
      const stream = streams[index % streams.length]!;
      const version = Math.floor(index / streams.length) + 1;
      return { key: stream, value: JSON.stringify({ stream, version }), headers: { 'stream-version': String(version), 'event-type': 'Test' } };
    });
    const positions = await producer.publish(topics.events, 4, records.slice(0, 60));
    positions.push(...(await producer.publish(topics.events, 4, records.slice(60))));
    await producer.disconnect();

    // Every record of one key went to one partition, at increasing offsets.
    for (const stream of streams) {
      const ofStream = positions.filter((_, index) => records[index]!.key === stream);
      expect(new Set(ofStream.map((position) => position.partition)).size).toBe(1);
      const offsets = ofStream.map((position) => BigInt(position.offset));
      expect(offsets).toEqual([...offsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }

    const received: ConsumedRecord[] = [];
    const consumer = new EventLogConsumer(kafka, `${prefix}-reader`);
    const allReceived = new Promise<void>((resolve) => {
      void consumer.run({
        topic: topics.events,
        fromBeginning: true,
        handleBatch: async (batch) => {
          received.push(...batch.records);
          if (received.length >= records.length) resolve();
        },
      });
    });
    await allReceived;
    await consumer.stop();

    expect(received).toHaveLength(records.length);
    for (const stream of streams) {
      const versions = received
        .filter((record) => record.key === stream)
        .map((record) => JSON.parse(record.value.toString()).version);
      expect(versions).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    }
    const first = received.find((record) => record.key === 'meeting-7')!;
    expect(first.headers).toEqual({ 'stream-version': '1', 'event-type': 'Test' });
    // The positions the producer reported are where the records really are.
    for (const record of received) {
      const sent = records.findIndex((candidate) => candidate.value === record.value.toString());
      expect(positions[sent]).toEqual({ partition: record.partition, offset: record.offset });
    }
  });

  it('keeps consuming after a failure kafkajs would not restart from', async () => {
    await withAdmin((admin) => ensureTopics(admin, topicSpecs(topics, 4)));
    const group = `${prefix}-survivor`;
    const producer = new EventLogProducer(kafka);
    await producer.connect();
    const values = Array.from({ length: 20 }, (_, index) => `survivor-${index}`);
    await producer.publish(topics.events, 4, values.map((value, index) => ({ key: `stream-${index % 4}`, value, headers: {} })));
    await producer.disconnect();

    const received = new Set<string>();
    let failed = false;
    const consumer = new EventLogConsumer(kafka, group);
    const allReceived = new Promise<void>((resolve) => {
      void consumer.run({
        topic: topics.events,
        fromBeginning: true,
        handleBatch: async (batch) => {
          if (!failed) {
            failed = true;
            // A TypeError is "unrecoverable" to kafkajs: its consumer crashes and stays down.
            throw new TypeError('a bug met in the first batch');
          }
          for (const record of batch.records) {
            const value = record.value.toString();
            if (value.startsWith('survivor-')) received.add(value);
          }
          if (received.size === values.length) resolve();
        },
      });
    });
    await allReceived;
    await consumer.stop();
    expect([...received].sort()).toEqual([...values].sort());
    expect(consumer.replacements).toEqual(['kafkajs will not restart it after: a bug met in the first batch']);
    expect(consumerReplacements().filter((entry) => entry.group === group)).toEqual([{ group, kind: 'crash', count: 1 }]);
  });

  it('stays stopped when stopped while it joins its group, whenever that comes', async () => {
    await withAdmin((admin) => ensureTopics(admin, topicSpecs(topics, 4)));
    const restarts: string[] = [];
    // kafkajs restarts a consumer that failed with a retriable error on a timer of its own; a stop
    // that lands while the consumer connects or joins fails it with one ("connection closed").
    const watched = createKafka(testBrokers(), 'event-log-int-stop', {
      logCreator: () => ({ log }) => {
        if (log.message.startsWith('Restarting the consumer')) restarts.push(log.message);
      },
    });
    // Stops spread over the first 400 ms, when the consumers connect and join.
    const groups = Array.from({ length: 21 }, (_, index) => index * 20)
      .map((stopAfterMs) => ({ stopAfterMs, groupId: `${prefix}-stopped-${stopAfterMs}` }));
    await Promise.all(groups.map(async ({ stopAfterMs, groupId }) => {
      const consumer = new EventLogConsumer(watched, groupId);
      const running = consumer.run({ topic: topics.events, fromBeginning: true, handleBatch: async () => {} });
      await sleep(stopAfterMs);
      await consumer.stop();
      await running;
    }));
    // Past the session timeout (10 s): a member whose join the broker finished as the connection
    // closed is gone by then, unless a consumer still heartbeats for it.
    await sleep(12_000);
    expect(restarts).toEqual([]);
    const described = await withAdmin((admin) => admin.describeGroups(groups.map(({ groupId }) => groupId)));
    const byGroup = (a: { groupId: string }, b: { groupId: string }) => a.groupId.localeCompare(b.groupId);
    expect(described.groups.map(({ groupId, members }) => ({ groupId, members: members.length })).sort(byGroup))
      .toEqual(groups.map(({ groupId }) => ({ groupId, members: 0 })).sort(byGroup));
  });

  it('stops within its deadline even while a batch never finishes', async () => {
    await withAdmin((admin) => ensureTopics(admin, topicSpecs(topics, 4)));
    const producer = new EventLogProducer(kafka);
    await producer.connect();
    await producer.publish(topics.events, 4, [{ key: 'stream-stuck', value: 'stuck', headers: {} }]);
    await producer.disconnect();

    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let batchStarted!: () => void;
    const started = new Promise<void>((resolve) => (batchStarted = resolve));
    let batchFinished = false;
    const consumer = new EventLogConsumer(kafka, `${prefix}-stuck`, { leaveWithinMs: 1_000 });
    void consumer.run({
      topic: topics.events,
      fromBeginning: true,
      handleBatch: async () => {
        batchStarted();
        await released;
        batchFinished = true;
      },
    });
    await started;
    await consumer.stop();
    expect(batchFinished).toBe(false);
    // The batch ends after all; kafkajs then leaves the group on its own.
    release();
  });
  // kafkajs 2.2.4 re-armed a timer after every response even with no request waiting; its delay was
  // a large negative number, which Node.js turns into 1 ms, so each idle connection woke up about a
  // thousand times a second (Node.js 24 names it: TimeoutNegativeWarning). patches/ holds the fix.
  it('lets an idle connection sleep instead of waking every millisecond', async () => {
    const producer = new EventLogProducer(kafka);
    await producer.connect();
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.listTopics();
      let timers = 0;
      const hook = createHook({ init: (_id, type) => { if (type === 'Timeout') timers += 1; } }).enable();
      await sleep(1_000);
      hook.disable();
      // A few of kafkajs's own request-timeout checks and this test's sleep; the bug gave thousands.
      expect(timers).toBeLessThan(50);
    } finally {
      await admin.disconnect();
      await producer.disconnect();
    }
  });
});
