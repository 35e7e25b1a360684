// Prometheus metrics, one registry per app instance (several apps may share a process in tests).
import { collectDefaultMetrics, Registry } from 'prom-client';

export const METRICS = Symbol('MetricsRegistry');

export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'chancery_' });
  return registry;
}

export { Counter, Gauge, Histogram, type Registry } from 'prom-client';
