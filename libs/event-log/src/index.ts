export * from './topics.js';
export * from './kafka-client.js';
export * from './topic-admin.js';
export * from './producer.js';
export * from './consumer.js';
export * from './envelope.js';
export * from './event-log.module.js';
export * from './kafka.health.js';
