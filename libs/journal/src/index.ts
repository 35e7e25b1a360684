export * from './journal.js';
export * from './relay.js';
export * from './journal.module.js';
export * from './migrations/1763900000000-journal.js';
export * from './migrations/1764300000000-outbox.js';
