// The one-process server with the alerts endpoints, as the alert e2e tests serve it. The alerter's
// settings come from the environment: loopback webhooks (the tests' receivers are on 127.0.0.1),
// short retries, and quick polling and sweeps.
import type { ChanceryConfig } from '#platform';
import { AlertsQueryModule } from '../../apps/query-api/src/alerts/alerts-query.module.js';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

export function useTestAlerterSettings(): void {
  Object.assign(process.env, {
    CHANCERY_WEBHOOK_ALLOW_LOOPBACK: 'true',
    CHANCERY_WEBHOOK_RETRY_BASE_MS: '50',
    CHANCERY_WEBHOOK_TIMEOUT_MS: '2000',
    CHANCERY_ALERTER_POLL_MS: '25',
    CHANCERY_ALERTER_SWEEP_MS: '200',
  });
}

/** Importing AlertsQueryModule here as well is harmless once QueryApiModule imports it: Nest keeps one instance. */
export function alertingStack(config: ChanceryConfig) {
  const root = standaloneModule(config);
  return { ...root, imports: [...(root.imports ?? []), AlertsQueryModule] };
}
