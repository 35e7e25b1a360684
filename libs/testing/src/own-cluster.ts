// A 3-broker Kafka cluster of a test's own (`infra/kafka/broker.mjs --brokers 3`), on its own ports
// and state dir, so the test can stop and restart its nodes without disturbing the broker every
// other test shares. Started and stopped without blocking: the test's own load keeps flowing meanwhile.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';
import { createKafka } from '#event-log';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

export type PartitionReplicas = { partition: number; leader: number; replicas: number[]; isr: number[] };

export type OwnCluster = {
  /** `host:port,host:port,host:port`, as KAFKA_BROKERS takes it. */
  brokers: string;
  /** Its state dir: each node's data and broker.log. */
  dir: string;
  /** Starts whichever nodes are not running, and waits until every one serves the whole cluster. */
  up: () => Promise<void>;
  /**
   * Stops every node and removes the cluster's data: the next `up` formats a new one. `keepLogs`:
   * the brokers' logs stay, for a look after a failed run (the next destroy without it removes them).
   */
  destroy: (options?: { keepLogs?: boolean }) => Promise<void>;
  /** Stops one node (1…3): a controlled shutdown, or SIGKILL as a crash would. */
  stop: (node: number, how: 'controlled' | 'kill') => Promise<void>;
  /** Starts one node again, and waits until it serves metadata. */
  start: (node: number) => Promise<void>;
  /** Each partition's leader, replicas and in-sync replicas, as the brokers still running see them. */
  partitions: (topic: string) => Promise<PartitionReplicas[]>;
};

export function ownCluster(basePort: number, brokers = 3): OwnCluster {
  const dir = `${root}.chancery/kafka-cluster-${basePort}`;
  const env = { ...process.env, CHANCERY_KAFKA_PORT: String(basePort), CHANCERY_KAFKA_DIR: dir };
  const addresses = Array.from({ length: brokers }, (_, index) => `127.0.0.1:${basePort + 2 * index}`);
  const broker = async (...args: string[]) => {
    try {
      await run(process.execPath, [`${root}infra/kafka/broker.mjs`, ...args, '--brokers', String(brokers)], { env, timeout: 180_000 });
    } catch (error) {
      const { stderr } = error as { stderr?: string };
      throw new Error(`broker.mjs ${args.join(' ')} on ${basePort} failed: ${stderr ?? (error as Error).message}`, { cause: error });
    }
  };
  return {
    brokers: addresses.join(','),
    dir,
    up: () => broker('up'),
    async destroy({ keepLogs = false } = {}) {
      await broker('down');
      if (!keepLogs) await rm(dir, { recursive: true, force: true });
      else await Promise.all(Array.from({ length: brokers }, (_, index) => rm(`${dir}/node-${index + 1}/data`, { recursive: true, force: true })));
    },
    stop: (node, how) => broker('down', '--node', String(node), ...(how === 'kill' ? ['--kill'] : [])),
    start: (node) => broker('up', '--node', String(node)),
    async partitions(topic) {
      // A client of its own each time: one that knew a stopped node would keep asking it first.
      const admin = createKafka(addresses, 'cluster-test-admin', { logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 3, initialRetryTime: 100 } }).admin();
      await admin.connect();
      try {
        const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
        return metadata.topics[0]!.partitions
          .map(({ partitionId, leader, replicas, isr }) => ({ partition: partitionId, leader, replicas, isr }))
          .sort((a, b) => a.partition - b.partition);
      } finally {
        await admin.disconnect();
      }
    },
  };
}
