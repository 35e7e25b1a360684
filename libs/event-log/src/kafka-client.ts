import { Logger } from '@nestjs/common';
import kafkajs, { type Kafka, type KafkaConfig, type LogEntry } from 'kafkajs';

// kafkajs is CommonJS: Node's ESM loader sees its values only on the default export.
const { Kafka: KafkaClient, logLevel } = kafkajs;

const logger = new Logger('Kafka');

// kafkajs logs through our logger, as one line each. Its errors are mostly connection trouble it
// retries by itself, so they are warnings here; what gives up surfaces as a rejected promise.
function logCreator() {
  return ({ level, log }: LogEntry) => {
    if (level > logLevel.WARN) return;
    // The relay re-sends unmarked rows itself and consumers skip (stream, version) they have seen, so a
    // bounded producer retry loses nothing: the warning kafkajs gives about it does not apply here.
    if (log.message.startsWith('Limiting retries for the idempotent producer')) return;
    const { message, broker, groupId, error } = log as LogEntry['log'] & { broker?: string; groupId?: string; error?: string };
    logger.warn({ broker, groupId, error }, `kafkajs: ${message}`);
  };
}

export function createKafka(brokers: string[], clientId: string, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new KafkaClient({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    logCreator,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
    ...overrides,
  });
}
