// Prometheus metrics, one registry per app instance (several apps may share a process in tests).
import { collectDefaultMetrics, Registry } from 'prom-client';

export const METRICS = Symbol('MetricsRegistry');

export function createRegistry(): Registry {
  const registry = new Registry();
  // The standard process and Node.js metrics (process_cpu_seconds_total, nodejs_eventloop_lag_seconds,
  // …) under the names Prometheus's client libraries give them, which dashboards and alerts expect.
  collectDefaultMetrics({ register: registry });
  // The same under the names this API served first (chancery_process_…), for the scrapes that use them.
  collectDefaultMetrics({ register: registry, prefix: 'chancery_' });
  return registry;
}

export { Counter, Gauge, Histogram, type Registry } from 'prom-client';
