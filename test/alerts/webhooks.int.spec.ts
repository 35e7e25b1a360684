// Webhook deliveries against real HTTP endpoints on 127.0.0.1: developments go through the journal,
// Kafka and the alerter's runner; the delivery worker posts the alerts it raised. Retries are
// kept short here (50 ms, doubling) through the worker's settings.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { development, type ProjectionHarness, startProjectionHarness } from '#testing';
import { alertRuleDefinition, createAlertRule } from '#read-models';
import { defaultDeliverySettings, DeliveryWorker } from '../../apps/alerter/src/delivery/delivery-worker.js';
import { alerterProjection } from '../../apps/alerter/src/evaluation/alerter.projection.js';
import { type Script, signatureVerifies, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const secret = 'a-shared-secret-of-32-characters';

type Delivery = { alert_id: string; status: string; attempts: number; response_code: number | null; last_error: string | null; next_attempt_at: Date | null };
type Attempt = { attempt: number; response_code: number | null; error: string | null; started_at: Date; duration_ms: number };

describe('webhook deliveries', () => {
  let harness: ProjectionHarness;
  let worker: DeliveryWorker;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    harness = await startProjectionHarness({ projections: [alerterProjection()] });
    worker = new DeliveryWorker(harness.pool, {
      ...defaultDeliverySettings, policy: { allowLoopback: true }, timeoutMs: 1_000, maxAttempts: 3, retryBaseMs: 50, concurrency: 4, pollMs: 20,
    });
    worker.start();
  });

  afterAll(async () => {
    await worker.stop();
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await harness.stop();
  });

  async function receiver(script: Script): Promise<WebhookReceiver> {
    const started = await startWebhookReceiver(script);
    receivers.push(started);
    return started;
  }

  /** A rule on the warnings `by` gives, delivered to `url`. */
  async function ruleFor(by: string, url: string, name = `warnings by ${by}`) {
    return createAlertRule(harness.pool, {
      definition: alertRuleDefinition.parse({ name, kind: 'event', severity: 'high', match: { types: ['WarningGiven'], parties: [by] } }),
      webhook: { url, secret },
    });
  }

  async function warn(by: string) {
    const [event] = await harness.append(`warning-${randomUUID()}`, [
      development('WarningGiven', '2022-01-12', { warningId: randomUUID(), by, to: ['RUS'], consequence: 'more troops in the east', severity: 'high' }),
    ]);
    await harness.caughtUp();
    return event!;
  }

  async function deliveryOf(ruleId: string): Promise<Delivery> {
    const { rows } = await harness.pool.query<Delivery>(
      `SELECT d.alert_id, d.status, d.attempts, d.response_code, d.last_error, d.next_attempt_at
       FROM webhook_deliveries d JOIN alerts a ON a.id = d.alert_id WHERE a.rule_id = $1`, [ruleId]);
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  async function settled(ruleId: string, timeoutMs = 15_000): Promise<Delivery> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const delivery = await deliveryOf(ruleId);
      if (delivery.status !== 'pending') return delivery;
      if (Date.now() > deadline) throw new Error(`delivery still pending after ${timeoutMs} ms: ${JSON.stringify(delivery)}`);
      await sleep(20);
    }
  }

  async function attemptsOf(alertId: string): Promise<Attempt[]> {
    const { rows } = await harness.pool.query<Attempt>(
      'SELECT attempt, response_code, error, started_at, duration_ms FROM webhook_delivery_attempts WHERE alert_id = $1 ORDER BY attempt', [alertId]);
    return rows;
  }

  it('a receiver that fails twice, then succeeds, gets one successful delivery; the signature verifies and every attempt is logged', async () => {
    const endpoint = await receiver((index) => [500, 503][index] ?? 200);
    const rule = await ruleFor('C1', endpoint.url);
    const event = await warn('C1');

    const delivery = await settled(rule.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, response_code: 200, last_error: null, next_attempt_at: null });
    const attempts = await attemptsOf(delivery.alert_id);
    expect(attempts.map((attempt) => [attempt.attempt, attempt.response_code, attempt.error])).toEqual([
      [1, 500, 'HTTP 500: failure 1'], [2, 503, 'HTTP 503: failure 2'], [3, 200, null],
    ]);
    // Backed off 50 ms, then 100 ms.
    expect(attempts[1]!.started_at.getTime() - attempts[0]!.started_at.getTime()).toBeGreaterThanOrEqual(50);
    expect(attempts[2]!.started_at.getTime() - attempts[1]!.started_at.getTime()).toBeGreaterThanOrEqual(100);

    // One success among three requests, each the same signed alert.
    const received = endpoint.received;
    expect(received).toHaveLength(3);
    expect(received.map((request) => request.headers['x-chancery-delivery-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(received.map((request) => request.body)).size).toBe(1);
    for (const request of received) {
      expect(signatureVerifies(request, secret)).toBe(true);
      expect(signatureVerifies(request, 'some-other-secret-000000000000')).toBe(false);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['x-chancery-alert-id']).toBe(delivery.alert_id);
    }
    const alert = JSON.parse(received[2]!.body);
    expect(alert).toEqual({
      id: delivery.alert_id, ruleId: rule.id, ruleName: 'warnings by C1', kind: 'event', severity: 'high',
      triggeredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), occurredAt: '2022-01-12', eventIds: [event.eventId],
      parties: ['C1', 'RUS'], summary: 'WarningGiven (C1, RUS): more troops in the east',
      details: { eventType: 'WarningGiven', streamId: event.streamId, issues: [] },
    });
  });

  it('gives up on a receiver that keeps failing: dead after the last attempt, and never tried again', async () => {
    const endpoint = await receiver(() => 500);
    const rule = await ruleFor('C2', endpoint.url);
    await warn('C2');

    const delivery = await settled(rule.id);
    expect(delivery).toMatchObject({ status: 'dead', attempts: 3, response_code: 500, last_error: 'HTTP 500: failure 3', next_attempt_at: null });
    expect((await attemptsOf(delivery.alert_id)).map((attempt) => attempt.response_code)).toEqual([500, 500, 500]);
    // A dead delivery is no longer due: a later alert of another rule is delivered, and this one is not tried again.
    const later = await receiver(() => 204);
    const laterRule = await ruleFor('C2b', later.url);
    await warn('C2b');
    expect(await settled(laterRule.id)).toMatchObject({ status: 'delivered', response_code: 204 });
    expect(endpoint.received).toHaveLength(3);
  });

  it('times out a receiver that never answers, and meanwhile delivers another rule\'s alert', async () => {
    const silent = await receiver(() => 'hang');
    const prompt = await receiver(() => 200);
    const slowRule = await ruleFor('C3', silent.url, 'silent endpoint');
    const promptRule = await ruleFor('C3', prompt.url, 'prompt endpoint');
    await warn('C3');

    // Both alerts were raised by the same development; the silent endpoint's first attempt is still waiting.
    const delivered = await settled(promptRule.id);
    expect(delivered.status).toBe('delivered');
    const waiting = await deliveryOf(slowRule.id);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
    expect(await attemptsOf(waiting.alert_id)).toEqual([]);

    const dead = await settled(slowRule.id);
    expect(dead).toMatchObject({ status: 'dead', attempts: 3, response_code: null, last_error: 'no answer within 1000 ms' });
    const attempts = await attemptsOf(dead.alert_id);
    expect(attempts.map((attempt) => attempt.error)).toEqual(Array(3).fill('no answer within 1000 ms'));
    expect(attempts.every((attempt) => attempt.duration_ms >= 1_000)).toBe(true);
  });

  it('never sends to a refused address, even one stored before the rules were stricter: dead at once', async () => {
    // The API refuses this URL (see alerts-api.e2e.spec.ts); here it is in the table already.
    const rule = await ruleFor('C4', 'http://169.254.169.254/latest/meta-data/');
    await warn('C4');
    const delivery = await settled(rule.id);
    expect(delivery).toMatchObject({ status: 'dead', attempts: 1, response_code: null });
    expect(delivery.last_error).toContain('169.254.169.254 is a link-local, metadata, multicast or unspecified address');
  });

  it('lets the delivery of a deleted rule die rather than retry', async () => {
    let deleted!: () => void;
    const ruleDeleted = new Promise<void>((resolve) => (deleted = resolve));
    // The first attempt is answered (with a failure) only once the rule is gone.
    const endpoint = await receiver(() => ruleDeleted.then(() => 500));
    const rule = await ruleFor('C5', endpoint.url);
    await warn('C5');
    await endpoint.requests(1);
    await harness.pool.query('DELETE FROM alert_rules WHERE id = $1', [rule.id]);
    deleted();
    const delivery = await settled(rule.id);
    expect(delivery).toMatchObject({ status: 'dead', last_error: 'the rule or its webhook was removed' });
    expect(endpoint.received).toHaveLength(1);
  });
});
