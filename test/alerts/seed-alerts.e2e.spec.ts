// The seed article (NATO–Russia talks, January 2022) under three alert rules written before it is
// imported: NATO's warnings, delivered to a webhook; NATO–Russia tension; demands left open a month.
/* eslint-disable @typescript-eslint/no-explicit-any -- API bodies are JSON of any shape; assertions say what they expect */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { client, type Client, startTestApp, type TestApp } from '#testing';
import { alertingStack, useTestAlerterSettings } from './alerting-stack.js';
import { type Received, signatureVerifies, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const adminKey = 'seed-alerts-admin-key-0000000';
const secret = 'seed-scenario-webhook-secret-0001';

describe('alerts on the seed article', () => {
  let served: TestApp;
  let admin: Client;
  let endpoint: WebhookReceiver;
  let delivered: Received;
  const rules: Record<string, string> = {};

  /** The rule's alerts, oldest first, once `ready` holds for them. */
  async function alertsOf(ruleId: string, ready: (alerts: any[]) => boolean): Promise<any[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const items = (await admin.get('/v1/alerts?limit=100')).body.items.filter((alert: any) => alert.ruleId === ruleId).reverse();
      if (ready(items)) return items;
      if (Date.now() > deadline) throw new Error(`rule ${ruleId}'s alerts are not there yet: ${JSON.stringify(items)}`);
      await sleep(25);
    }
  }

  beforeAll(async () => {
    useTestAlerterSettings();
    served = await startTestApp(alertingStack, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    admin = client(served.baseUrl, adminKey);
    endpoint = await startWebhookReceiver(() => 200);
    const create = async (body: Record<string, unknown>) => {
      const response = await admin.post('/v1/alert-rules', body);
      expect(response.status).toBe(201);
      rules[body.name as string] = response.body.id;
    };
    await create({ name: 'NATO warnings', kind: 'event', severity: 'high', match: { types: ['WarningGiven'], parties: ['NATO'] }, webhook: { url: endpoint.url, secret } });
    await create({ name: 'NATO–Russia tension', kind: 'tension', severity: 'medium', pair: ['NATO', 'RUS'], window: '7d', threshold: 3 });
    await create({ name: 'Russian demands open a month', kind: 'unanswered-demand', severity: 'low', match: { parties: ['RUS'] }, afterDays: 30 });
    const seed = await readFile(new URL('../../demo/seed-article.ndjson', import.meta.url), 'utf8');
    const report = await admin.post('/v1/import', seed, { 'content-type': 'application/x-ndjson' });
    expect(report.body.rejected).toEqual([]);
    [delivered] = await endpoint.requests(1);
  });

  afterAll(async () => {
    await endpoint.close();
    await served.close();
  });

  it('delivers NATO\'s warning to Russia to the webhook, signed, once', async () => {
    expect(signatureVerifies(delivered, secret)).toBe(true);
    expect(delivered.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'chancery-alerter', 'x-chancery-delivery-attempt': '1' });
    const alert = JSON.parse(delivered.body);
    expect(alert).toMatchObject({
      ruleId: rules['NATO warnings'], ruleName: 'NATO warnings', kind: 'event', severity: 'high', occurredAt: '2022-01-12', parties: ['NATO', 'RUS'],
      details: { eventType: 'WarningGiven', streamId: 'warning-nato-reinforce-eastern-flank', issues: ['nato-eastern-posture'] },
    });
    expect(alert.summary).toContain('NATO will seriously consider the need to further increase its military presence');
    const recorded = await alertsOf(rules['NATO warnings']!, (alerts) => alerts[0]?.delivery?.status === 'delivered');
    expect(recorded).toEqual([{ ...alert, delivery: expect.objectContaining({ status: 'delivered', attempts: 1, responseCode: 200 }) }]);
    expect(endpoint.received).toHaveLength(1);
  });

  it('marks the NATO–Russia index rising past 3 with December\'s demands and falling below it on the day of the Council', async () => {
    const alerts = await alertsOf(rules['NATO–Russia tension']!, (alerts) => alerts.length >= 2);
    // Developments of different streams may reach the alerter out of journal order: a crossing seen
    // on the way (on partial knowledge) may add an alert, but these two are those of the whole article.
    expect(alerts.map((alert) => [alert.details.day, alert.details.direction, alert.details.tension])).toEqual(expect.arrayContaining([
      ['2021-12-17', 'up', 5], ['2022-01-12', 'down', 2.2],
    ]));
  });

  it('lists Russia\'s three demands still open 30 days after 17 December, each with who had not answered', async () => {
    const alerts = await alertsOf(rules['Russian demands open a month']!, (alerts) => alerts.length >= 3);
    expect(alerts.map((alert) => alert.details.demandId).sort()).toEqual(['rus-no-post-soviet-bases', 'rus-no-ukraine-membership', 'rus-reduce-eastern-presence']);
    const byDemand = Object.fromEntries(alerts.map((alert) => [alert.details.demandId, alert]));
    expect(byDemand['rus-reduce-eastern-presence'].details).toMatchObject({ unansweredBy: ['NATO', 'USA'], deadline: '2022-01-16T00:00:00.000Z' });
    // NATO's rejection (12 January) came before the deadline; whether the alerter had read it when the
    // demand reached it depends on how Kafka batched the import, so only the United States is certain.
    expect(byDemand['rus-no-ukraine-membership'].details.unansweredBy).toContain('USA');
  });
});
