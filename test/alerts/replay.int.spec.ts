// Replaying the events topic through the alerter — its checkpoints reset, or a second consumer
// group on the same database — raises no alert twice and delivers no webhook twice: every alert's
// id is derived from its rule and trigger, and only a newly stored alert gets a delivery.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka, EventLogProducer } from '#event-log';
import { ProjectionRunner } from '#read-models';
import { corpus, type ProjectionHarness, startProjectionHarness, testBrokers } from '#testing';
import { alertRuleDefinition, createAlertRule } from '#read-models';
import { defaultDeliverySettings, DeliveryWorker } from '../../apps/alerter/src/delivery/delivery-worker.js';
import { alerterProjection } from '../../apps/alerter/src/evaluation/alerter.projection.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

/** Every demand of the corpus is long overdue by this clock. */
const clock = () => new Date('2030-01-01T00:00:00Z');

describe('replaying the topic through the alerter', () => {
  let harness: ProjectionHarness;
  let endpoint: WebhookReceiver;
  let worker: DeliveryWorker;
  let raised: Awaited<ReturnType<typeof snapshot>>;

  async function snapshot() {
    const alerts = await harness.pool.query(
      `SELECT id, rule_id, kind, trigger_key, triggered_at, occurred_at, event_ids, parties, summary, details FROM alerts ORDER BY id`);
    const deliveries = await harness.pool.query(
      'SELECT alert_id, status, attempts, response_code, created_at, delivered_at FROM webhook_deliveries ORDER BY alert_id');
    const attempts = await harness.pool.query('SELECT alert_id, attempt, response_code FROM webhook_delivery_attempts ORDER BY alert_id, attempt');
    return { alerts: alerts.rows, deliveries: deliveries.rows, attempts: attempts.rows };
  }

  async function allDelivered(): Promise<void> {
    for (;;) {
      const { rows } = await harness.pool.query<{ pending: number }>(`SELECT count(*)::int AS pending FROM webhook_deliveries WHERE status = 'pending'`);
      if (rows[0]!.pending === 0) return;
      await sleep(20);
    }
  }

  /** Like the harness's caughtUp, for a generation that has no status row: every journal stream applied by it. */
  async function generationCaughtUp(generation: number): Promise<void> {
    for (;;) {
      const { rows } = await harness.pool.query<{ behind: number }>(
        `SELECT count(*)::int AS behind
         FROM (SELECT stream_id, max(stream_version) AS last_version FROM journal GROUP BY stream_id) j
         LEFT JOIN projection_streams p ON p.projection = 'alerter' AND p.version = $1 AND p.stream_id = j.stream_id
         WHERE coalesce(p.last_version, 0) < j.last_version`, [generation]);
      if (rows[0]!.behind === 0) return;
      await sleep(25);
    }
  }

  beforeAll(async () => {
    harness = await startProjectionHarness({ projections: [alerterProjection({ clock })] });
    endpoint = await startWebhookReceiver(() => 200);
    worker = new DeliveryWorker(harness.pool, { ...defaultDeliverySettings, policy: { allowLoopback: true }, retryBaseMs: 50, pollMs: 20 });
    worker.start();
    const webhook = { url: endpoint.url, secret: 'replay-secret-0123456789' };
    const rules = [
      { name: 'serious warnings', kind: 'event', match: { types: ['WarningGiven'], minSeverity: 'high' } },
      { name: 'P0–P1 tension', kind: 'tension', pair: ['P0', 'P1'], window: '7d', threshold: 2 },
      { name: 'P2 conflict surge', kind: 'surge', match: { types: ['WarningGiven', 'DemandIssued', 'DemandRejected'], parties: ['P2'] }, increase: 0.5, minBaseline: 0.5 },
      { name: 'demands open 3 days', kind: 'unanswered-demand', afterDays: 3 },
    ];
    for (const [index, body] of rules.entries()) {
      await createAlertRule(harness.pool, { definition: alertRuleDefinition.parse({ severity: 'high', ...body }), ...(index < 3 ? { webhook } : {}) });
    }
    // Appended without waiting in between: batches of different partitions interleave as they would live.
    for (const batch of corpus({ seed: 5, parties: 5, issues: 3, commands: 400, startDate: '2022-01-01' })) {
      await harness.append(batch.streamId, batch.events, 'analyst', batch.eventIds);
    }
    await harness.caughtUp();
    await allDelivered();
    raised = await snapshot();
  });

  afterAll(async () => {
    await worker.stop();
    await endpoint.close();
    await harness.stop();
  });

  it('raised alerts of every kind and delivered each webhook once', () => {
    const kinds = new Map<string, number>();
    for (const alert of raised.alerts) kinds.set(alert.kind, (kinds.get(alert.kind) ?? 0) + 1);
    expect([...kinds.keys()].sort()).toEqual(['event', 'surge', 'tension', 'unanswered-demand']);
    const withWebhook = raised.alerts.filter((alert) => alert.kind !== 'unanswered-demand');
    expect(raised.deliveries).toHaveLength(withWebhook.length);
    expect(raised.deliveries.every((delivery) => delivery.status === 'delivered' && delivery.attempts === 1)).toBe(true);
    expect(endpoint.received).toHaveLength(withWebhook.length);
  });

  it('reprocessing the topic from offset 0 changes nothing: no new alert, no new delivery', async () => {
    await harness.pool.query(`DELETE FROM projection_checkpoints WHERE projection = 'alerter'`);
    await harness.pool.query(`DELETE FROM projection_streams WHERE projection = 'alerter'`);
    await harness.restartRunners();
    await harness.caughtUp();
    await allDelivered();
    expect(await snapshot()).toEqual(raised);
    expect(endpoint.received).toHaveLength(raised.deliveries.length);
  });

  it('a second consumer group over the same database changes nothing either', async () => {
    const kafka = createKafka(testBrokers(), 'alerter-replay');
    const producer = new EventLogProducer(kafka);
    await producer.connect();
    const second = new ProjectionRunner(alerterProjection({ clock }), harness.pool, kafka, producer, {
      topic: harness.topics.events, dlqTopic: harness.topics.eventsDlq, groupPrefix: `${harness.topics.events}.second`,
      failurePolicy: 'skip', generation: 2,
    });
    try {
      await second.start();
      await generationCaughtUp(2);
      // Every event but the registrations, which no rule looks at.
      const journal = await harness.pool.query<{ events: number }>(
        `SELECT count(*)::int AS events FROM journal WHERE event_type NOT IN ('PartyRegistered', 'IssueRegistered')`);
      expect(second.progress.applied).toBe(journal.rows[0]!.events);
      await allDelivered();
      expect(await snapshot()).toEqual(raised);
      expect(endpoint.received).toHaveLength(raised.deliveries.length);
    } finally {
      await second.stop();
      await producer.disconnect();
    }
  });
});
