import type { Kafka } from 'kafkajs';

/** Kafka is ready when the cluster answers a metadata request; a fresh admin each time, short timeouts. */
export async function checkKafka(kafka: Kafka, signal: AbortSignal): Promise<{ brokers: number }> {
  const admin = kafka.admin();
  const aborted = new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () => reject(new Error('Kafka did not answer in time')), { once: true }));
  try {
    await Promise.race([admin.connect(), aborted]);
    const cluster = await Promise.race([admin.describeCluster(), aborted]);
    return { brokers: cluster.brokers.length };
  } finally {
    void admin.disconnect().catch(() => {});
  }
}
