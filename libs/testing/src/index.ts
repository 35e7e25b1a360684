export * from './test-database.js';
export * from './test-kafka.js';
export * from './test-app.js';
export * from './events.js';
export * from './http.js';
export * from './projection-harness.js';
export * from './developments.js';
