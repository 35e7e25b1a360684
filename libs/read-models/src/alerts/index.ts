// Alerting shared by the alerter (which raises and delivers alerts) and the query API (which serves them and their rules).
export * from './alert-id.js';
export * from './alert-item.js';
export * from './alert-rule.js';
export * from './alert-rules.store.js';
export * from './webhook-policy.js';
export { summaryOf } from '../projections/timeline/timeline-summary.js';
