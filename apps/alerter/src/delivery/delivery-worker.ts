// Works the webhook_deliveries table. A delivery is claimed with FOR UPDATE SKIP LOCKED (so any
// number of alerter instances share the work) and leased: its attempt is counted and its next
// attempt pushed past the request's deadline before anything is sent, so a crash mid-request
// retries later and still counts towards the cap. Deliveries run side by side up to a limit; a
// slow or dead endpoint holds one slot, never the others' alerts.
import { Logger } from '@nestjs/common';
import pg from 'pg';
import { alertColumns, alertItemOf, type AlertRow, type WebhookPolicy } from '#read-models';
import { Pause } from '../pause.js';
import { DeliveryFailed, DestinationRefused, postWebhook } from './webhook-client.js';

export type DeliverySettings = {
  policy: WebhookPolicy;
  timeoutMs: number;
  /** Attempts before a delivery is dead. */
  maxAttempts: number;
  /** The wait after the first failure; doubled after each next one, up to maxRetryDelayMs. */
  retryBaseMs: number;
  maxRetryDelayMs: number;
  /** Deliveries in flight at once, per process. */
  concurrency: number;
  /** How often to look for due deliveries without being woken. */
  pollMs: number;
};

export const defaultDeliverySettings: Omit<DeliverySettings, 'policy'> = {
  timeoutMs: 5_000,
  maxAttempts: 6,
  retryBaseMs: 30_000,
  maxRetryDelayMs: 3_600_000,
  concurrency: 8,
  pollMs: 1_000,
};

type Claimed = AlertRow & {
  attempts: number;
  webhook_url: string | null;
  webhook_secret: string | null;
};

export function retryDelayMs(settings: Pick<DeliverySettings, 'retryBaseMs' | 'maxRetryDelayMs'>, failedAttempts: number): number {
  return Math.min(settings.retryBaseMs * 2 ** (failedAttempts - 1), settings.maxRetryDelayMs);
}

export class DeliveryWorker {
  private readonly logger = new Logger('Webhooks');
  private readonly pause = new Pause();
  private inFlight = 0;
  private running?: Promise<void>;
  private readonly deliveries = new Set<Promise<void>>();

  constructor(private readonly pool: pg.Pool, private readonly settings: DeliverySettings) {}

  start(): void {
    this.running = this.loop();
  }

  /** New alerts or a finished delivery: look for work now rather than at the next poll. */
  wake(): void {
    this.pause.wake();
  }

  async stop(): Promise<void> {
    this.pause.stop();
    await this.running;
    await Promise.allSettled([...this.deliveries]);
  }

  private async loop(): Promise<void> {
    while (!this.pause.isStopped) {
      try {
        const free = this.settings.concurrency - this.inFlight;
        if (free > 0) {
          for (const delivery of await this.claim(free)) this.track(this.deliver(delivery));
        }
      } catch (error) {
        this.logger.warn({ err: (error as Error).message }, 'could not claim webhook deliveries; retrying');
      }
      await this.pause.for(this.settings.pollMs);
    }
  }

  private track(delivery: Promise<void>): void {
    this.inFlight++;
    this.deliveries.add(delivery);
    void delivery.finally(() => {
      this.inFlight--;
      this.deliveries.delete(delivery);
      this.wake();
    });
  }

  /** Claims due deliveries: counts their attempt and leases them past the request's deadline. */
  private async claim(limit: number): Promise<Claimed[]> {
    const leaseMs = this.settings.timeoutMs + 30_000;
    const { rows } = await this.pool.query<Claimed>(
      `WITH due AS (
         SELECT alert_id FROM webhook_deliveries
         WHERE status = 'pending' AND next_attempt_at <= clock_timestamp()
         ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE webhook_deliveries d SET attempts = d.attempts + 1, updated_at = clock_timestamp(),
           next_attempt_at = clock_timestamp() + make_interval(secs => $2::float8 / 1000)
         FROM due WHERE d.alert_id = due.alert_id
         RETURNING d.alert_id, d.attempts
       )
       SELECT ${alertColumns.split(', ').map((column) => `a.${column}`).join(', ')}, c.attempts, r.webhook_url, r.webhook_secret
       FROM claimed c JOIN alerts a ON a.id = c.alert_id LEFT JOIN alert_rules r ON r.id = a.rule_id`,
      [limit, leaseMs]);
    return rows;
  }

  private async deliver(delivery: Claimed): Promise<void> {
    const startedAt = new Date();
    const attempt = delivery.attempts;
    let outcome: { status: 'delivered' | 'pending' | 'dead'; responseCode: number | null; error: string | null };
    try {
      if (!delivery.webhook_url || !delivery.webhook_secret) throw new DestinationRefused('the rule or its webhook was removed');
      const responseCode = await postWebhook({
        url: delivery.webhook_url,
        secret: delivery.webhook_secret,
        body: JSON.stringify(alertItemOf(delivery)),
        headers: { 'X-Chancery-Alert-Id': delivery.id, 'X-Chancery-Delivery-Attempt': String(attempt) },
        timeoutMs: this.settings.timeoutMs,
        policy: this.settings.policy,
      });
      outcome = { status: 'delivered', responseCode, error: null };
    } catch (error) {
      const message = (error as Error).message.slice(0, 1000);
      const responseCode = error instanceof DeliveryFailed ? error.responseCode : null;
      const final = error instanceof DestinationRefused || attempt >= this.settings.maxAttempts;
      outcome = { status: final ? 'dead' : 'pending', responseCode, error: message };
    }
    const durationMs = Date.now() - startedAt.getTime();
    try {
      await this.record(delivery, attempt, startedAt, durationMs, outcome);
    } catch (error) {
      // The lease runs out and the delivery is attempted again: at-least-once, like any webhook.
      this.logger.error({ alert: delivery.id, err: (error as Error).message }, 'could not record a webhook attempt');
    }
  }

  private async record(delivery: Claimed, attempt: number, startedAt: Date, durationMs: number,
    outcome: { status: 'delivered' | 'pending' | 'dead'; responseCode: number | null; error: string | null }): Promise<void> {
    const retryMs = retryDelayMs(this.settings, attempt);
    const url = delivery.webhook_url ?? '';
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO webhook_delivery_attempts (alert_id, attempt, url, started_at, duration_ms, response_code, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [delivery.id, attempt, url, startedAt, durationMs, outcome.responseCode, outcome.error]);
      // Only while the lease is still ours: had it run out and another worker claimed the delivery, the later attempt decides.
      await client.query(
        `UPDATE webhook_deliveries SET status = $3, response_code = $4, last_error = $5, url = coalesce(nullif($6, ''), url),
           updated_at = clock_timestamp(),
           next_attempt_at = CASE WHEN $3 = 'pending' THEN clock_timestamp() + make_interval(secs => $7::float8 / 1000) END,
           delivered_at = CASE WHEN $3 = 'delivered' THEN clock_timestamp() END
         WHERE alert_id = $1 AND attempts = $2 AND status = 'pending'`,
        [delivery.id, attempt, outcome.status, outcome.responseCode, outcome.error, url, retryMs]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    const log = { alert: delivery.id, rule: delivery.rule_id, attempt, status: outcome.status, responseCode: outcome.responseCode };
    if (outcome.status === 'dead') this.logger.warn({ ...log, err: outcome.error }, 'webhook delivery dead');
    else if (outcome.status === 'pending') this.logger.log({ ...log, err: outcome.error, retryInMs: retryMs }, 'webhook delivery failed; will retry');
  }
}
