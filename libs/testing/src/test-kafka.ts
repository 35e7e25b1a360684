// Kafka for tests: the broker `npm test` started (KAFKA_BROKERS), and a topic prefix of each test
// file's own, so files never read each other's events.
import { randomBytes } from 'node:crypto';
import { createKafka, topicsFor } from '#event-log';

export function testBrokers(): string[] {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run the tests with `npm test`, which starts the broker');
  return brokers.split(',');
}

export function testTopicPrefix(): string {
  return `test-${randomBytes(5).toString('hex')}`;
}

/** Deletes every topic of a test prefix; called from afterAll. */
export async function deleteTestTopics(prefix: string): Promise<void> {
  const admin = createKafka(testBrokers(), 'chancery-test-cleanup').admin();
  await admin.connect();
  try {
    const ours = (await admin.listTopics()).filter((topic) => topic.startsWith(`${prefix}.`));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours });
  } finally {
    await admin.disconnect();
  }
}

export { topicsFor };
