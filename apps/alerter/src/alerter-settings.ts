// The alerter's own settings, from the environment, checked at start-up like the rest.
import { z } from 'zod';
import { webhookPolicyFrom } from '#read-models';
import { defaultDeliverySettings, type DeliverySettings } from './delivery/delivery-worker.js';

export const ALERTER_SETTINGS = Symbol('AlerterSettings');

export type AlerterSettings = {
  delivery: DeliverySettings;
  /** How often unanswered-demand rules are checked against the clock. */
  sweepMs: number;
  /** How often the publisher looks for unpublished alerts without being woken. */
  pollMs: number;
};

const milliseconds = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const settingsSchema = z.object({
  CHANCERY_WEBHOOK_TIMEOUT_MS: milliseconds(100, 60_000).default(defaultDeliverySettings.timeoutMs),
  CHANCERY_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(defaultDeliverySettings.maxAttempts),
  CHANCERY_WEBHOOK_RETRY_BASE_MS: milliseconds(10, 3_600_000).default(defaultDeliverySettings.retryBaseMs),
  CHANCERY_ALERTER_POLL_MS: milliseconds(10, 60_000).default(defaultDeliverySettings.pollMs),
  CHANCERY_ALERTER_SWEEP_MS: milliseconds(10, 3_600_000).default(60_000),
});

export function alerterSettingsFrom(env: NodeJS.ProcessEnv = process.env): AlerterSettings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`configuration: ${String(issue.path[0])} is invalid: ${issue.message}`);
  }
  const settings = parsed.data;
  return {
    delivery: {
      ...defaultDeliverySettings,
      policy: webhookPolicyFrom(env),
      timeoutMs: settings.CHANCERY_WEBHOOK_TIMEOUT_MS,
      maxAttempts: settings.CHANCERY_WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: settings.CHANCERY_WEBHOOK_RETRY_BASE_MS,
      pollMs: settings.CHANCERY_ALERTER_POLL_MS,
    },
    sweepMs: settings.CHANCERY_ALERTER_SWEEP_MS,
    pollMs: settings.CHANCERY_ALERTER_POLL_MS,
  };
}
