// An app served on a free port for e2e tests: real Postgres (a database of the test's own),
// real Kafka (a topic prefix of its own), real HTTP.
import type { INestApplication } from '@nestjs/common';
import { type ChanceryConfig, createHttpApp, loadConfig } from '#platform';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { deleteTestTopics, testTopicPrefix } from './test-kafka.js';

export type TestApp = {
  app: INestApplication;
  baseUrl: string;
  config: ChanceryConfig;
  database: TestDatabase;
  close: () => Promise<void>;
};

export async function startTestApp(
  moduleFor: (config: ChanceryConfig) => unknown,
  env: Record<string, string> = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const topicPrefix = testTopicPrefix();
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: database.url,
    CHANCERY_TOPIC_PREFIX: topicPrefix,
    CHANCERY_EVENT_PARTITIONS: '3',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    PORT: '0',
    ...env,
  });
  const app = await createHttpApp(moduleFor(config));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    config,
    database,
    baseUrl: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await app.close();
      await database.drop();
      if (!env.KAFKA_BROKERS) await deleteTestTopics(topicPrefix);
    },
  };
}
