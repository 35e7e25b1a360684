// Alerts through the whole stack: rules written over HTTP, developments posted over HTTP, the
// alerter consuming Kafka, and the alert read back over HTTP, heard on the live stream, found on
// the alerts topic and received by a webhook on 127.0.0.1.
/* eslint-disable @typescript-eslint/no-explicit-any -- API bodies are JSON of any shape; assertions say what they expect */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { KafkaMessage } from 'kafkajs';
import pg from 'pg';
import { createKafka } from '#event-log';
import { client, type Client, eventually, listenToStream, startTestApp, type TestApp, testBrokers } from '#testing';
import { alertingStack, useTestAlerterSettings } from './alerting-stack.js';
import { signatureVerifies, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const adminKey = 'alerts-admin-key-000000000000';
const secret = 'alerts-e2e-webhook-secret-0001';
const provenance = { occurredAt: '2022-01-12', sources: [{ citation: 'IRNA quoting Reuters' }], confidence: 'reported' };

describe('alerts and alert rules over HTTP', () => {
  let served: TestApp;
  let admin: Client;
  let writer: Client;
  let reader: Client;
  let readerKey: string;
  let db: pg.Pool;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    useTestAlerterSettings();
    served = await startTestApp(alertingStack, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    db = new pg.Pool({ connectionString: served.database.url });
    admin = client(served.baseUrl, adminKey);
    writer = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'analyst', role: 'writer' })).body.key);
    readerKey = (await admin.post('/v1/api-keys', { name: 'dashboard', role: 'reader' })).body.key;
    reader = client(served.baseUrl, readerKey);
    for (const party of [{ id: 'NATO', name: 'NATO', kind: 'organization' }, { id: 'RUS', name: 'Russia', kind: 'state' }, { id: 'USA', name: 'United States', kind: 'state' }]) {
      expect((await writer.post('/v1/parties', party)).status).toBe(201);
    }
    expect((await writer.post('/v1/issues', { id: 'ukraine-nato-membership', title: 'Ukraine and NATO' })).status).toBe(201);
  });

  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await db.end();
    await served.close();
  });

  describe('/v1/alert-rules', () => {
    it('creates, reads, lists, replaces and deletes a rule; the webhook secret is never shown', async () => {
      const body = { name: 'USA statements', kind: 'event', severity: 'low', match: { types: ['PositionStated'], parties: ['USA'] },
        webhook: { url: 'https://hooks.example.org/chancery', secret } };
      const created = await admin.post('/v1/alert-rules', body);
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'USA statements', kind: 'event', severity: 'low',
        match: { types: ['PositionStated'], parties: ['USA'] }, webhook: { url: 'https://hooks.example.org/chancery' },
        createdAt: expect.any(String), updatedAt: expect.any(String),
      });
      const id = created.body.id;
      expect((await admin.get(`/v1/alert-rules/${id}`)).body).toEqual(created.body);

      const replaced = await admin.put(`/v1/alert-rules/${id}`, { name: 'USA statements, medium', kind: 'event', severity: 'medium', match: { parties: ['USA'] } });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ id, severity: 'medium', match: { parties: ['USA'] }, webhook: null, createdAt: created.body.createdAt });
      expect(JSON.stringify(replaced.body)).not.toContain(secret);

      const second = await admin.post('/v1/alert-rules', { name: 'open demands', kind: 'unanswered-demand', severity: 'high', afterDays: 30 });
      const first = await admin.get('/v1/alert-rules?limit=1');
      expect(first.body.items.map((rule: any) => rule.id)).toEqual([id]);
      const next = await admin.get(`/v1/alert-rules?limit=1&cursor=${first.body.nextCursor}`);
      expect(next.body.items.map((rule: any) => rule.id)).toEqual([second.body.id]);

      expect((await admin.delete(`/v1/alert-rules/${id}`)).status).toBe(204);
      expect((await admin.get(`/v1/alert-rules/${id}`)).status).toBe(404);
      expect((await admin.delete(`/v1/alert-rules/${second.body.id}`)).status).toBe(204);
    });

    it('refuses an invalid rule with a problem document naming each field', async () => {
      const cases: Array<[unknown, unknown[]]> = [
        [{ name: 'x', kind: 'alarm', severity: 'high' }, [{ path: 'kind', message: expect.stringContaining('unanswered-demand') }]],
        [{ name: 'x', kind: 'event', severity: 'high', colour: 'red' }, [{ path: '(root)', message: 'Unrecognized key: "colour"' }]],
        [{ name: 'x', kind: 'tension', severity: 'high', pair: ['NATO'], window: '7d', threshold: 3 }, [{ path: 'pair', message: expect.any(String) }]],
        [{ name: 'x', kind: 'event', severity: 'high', webhook: { url: 'http://169.254.169.254/latest/meta-data/', secret } },
          [{ path: 'webhook.url', message: expect.stringContaining('link-local') }]],
        [{ name: 'x', kind: 'event', severity: 'high', webhook: { url: 'ftp://example.org/', secret: 'short' } },
          [{ path: 'webhook.url', message: 'only http and https URLs' }, { path: 'webhook.secret', message: 'at least 16 characters' }]],
      ];
      for (const [body, errors] of cases) {
        const response = await admin.post('/v1/alert-rules', body);
        expect({ body, status: response.status, type: response.headers.get('content-type') }).toEqual({ body, status: 400, type: expect.stringContaining('application/problem+json') });
        expect(response.body).toMatchObject({ type: '/problems/validation', status: 400, errors });
      }
      expect((await admin.get('/v1/alert-rules')).body.items).toEqual([]);
    });

    it('is for admins only, and an unknown rule is a 404', async () => {
      const rule = { name: 'x', kind: 'event', severity: 'high' };
      expect((await writer.post('/v1/alert-rules', rule)).status).toBe(403);
      expect((await reader.get('/v1/alert-rules')).status).toBe(403);
      const unknown = '00000000-0000-4000-8000-000000000000';
      for (const response of [await admin.get(`/v1/alert-rules/${unknown}`), await admin.put(`/v1/alert-rules/${unknown}`, rule),
        await admin.delete(`/v1/alert-rules/${unknown}`), await admin.get('/v1/alert-rules/not-a-rule-id')]) {
        expect(response.status).toBe(404);
        expect(response.body).toMatchObject({ type: '/problems/not-found', status: 404 });
      }
    });
  });

  describe('/v1/alerts', () => {
    let warningAlert: any;

    it('raises an alert for a matching development: listed, streamed, published to Kafka and delivered, signed, after a failed attempt', async () => {
      const endpoint = await startWebhookReceiver((index) => (index === 0 ? 502 : 200));
      receivers.push(endpoint);
      const rule = (await admin.post('/v1/alert-rules', {
        name: 'NATO warnings', kind: 'event', severity: 'high', match: { types: ['WarningGiven'], parties: ['NATO'] }, webhook: { url: endpoint.url, secret },
      })).body;
      const stream = await listenToStream(served.baseUrl, readerKey, '?types=alert', (events) => events.length >= 1);
      expect(stream.status).toBe(200);
      const kafka = createKafka(testBrokers(), 'alerts-e2e-reader');
      const consumer = kafka.consumer({ groupId: `${served.config.kafka.topicPrefix}.e2e-reader` });
      const published: KafkaMessage[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic: `${served.config.kafka.topicPrefix}.alerts`, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void published.push(message) });

      try {
        const warning = await writer.post('/v1/warnings', {
          by: 'NATO', to: ['RUS'], issue: 'ukraine-nato-membership', consequence: 'more troops on the eastern flank', severity: 'high', kind: 'military', ...provenance,
        });
        expect(warning.status).toBe(201);

        const [failed, delivered] = await endpoint.requests(2);
        expect([failed, delivered].every((request) => signatureVerifies(request!, secret))).toBe(true);
        const alert = JSON.parse(delivered!.body);
        expect(alert).toEqual({
          id: expect.any(String), ruleId: rule.id, ruleName: 'NATO warnings', kind: 'event', severity: 'high', triggeredAt: expect.any(String),
          occurredAt: '2022-01-12', eventIds: warning.body.eventIds, parties: ['NATO', 'RUS'],
          summary: 'WarningGiven (NATO, RUS): more troops on the eastern flank',
          details: { eventType: 'WarningGiven', streamId: warning.body.streamId, issues: ['ukraine-nato-membership'] },
        });

        await stream.done;
        // Its id is the journal position the connection had reached (ADR 0022): where a reconnect resumes.
        expect(stream.received).toEqual([{ event: 'alert', id: expect.stringMatching(/^\d+$/), data: alert }]);

        const record = await eventually(async () => published, (messages) => messages.length > 0, 'the alerts topic');
        expect(record).toHaveLength(1);
        expect(record[0]!.key!.toString()).toBe(rule.id);
        expect(JSON.parse(record[0]!.value!.toString())).toEqual(alert);

        warningAlert = await eventually(async () => (await reader.get(`/v1/alerts/${alert.id}`)).body,
          (body) => body.delivery?.status === 'delivered', 'the delivery to be recorded');
        expect(warningAlert).toEqual({
          ...alert, delivery: { status: 'delivered', attempts: 2, responseCode: 200, lastError: null, nextAttemptAt: null, deliveredAt: expect.any(String) },
        });
        const deliveries = await reader.get(`/v1/alerts/${alert.id}/deliveries`);
        expect(deliveries.body.items).toEqual([expect.objectContaining({
          alertId: alert.id, ruleId: rule.id, url: endpoint.url, status: 'delivered', attempts: 2,
          log: [
            expect.objectContaining({ attempt: 1, responseCode: 502, error: 'HTTP 502: failure 1' }),
            expect.objectContaining({ attempt: 2, responseCode: 200, error: null }),
          ],
        })]);
      } finally {
        await consumer.disconnect();
      }
    });

    it('lists newest first, filters by severity and time, walks pages with the cursor, and refuses bad parameters', async () => {
      const rule = (await admin.post('/v1/alert-rules', { name: 'USA statements', kind: 'event', severity: 'low', match: { types: ['PositionStated'], parties: ['USA'] } })).body;
      const statements: string[] = [];
      for (const stance of ['opposes', 'supports', 'neutral']) {
        statements.push((await writer.post('/v1/statements', { by: 'USA', issue: 'ukraine-nato-membership', stance, summary: `USA ${stance}`, ...provenance })).body.eventIds[0]);
      }
      const low = await eventually(() => reader.get('/v1/alerts?severity=low'), (response) => response.body.items.length === 3, 'three low alerts');
      expect(low.body.items.map((alert: any) => alert.eventIds[0])).toEqual([...statements].reverse());
      expect(low.body.items.every((alert: any) => alert.ruleId === rule.id && alert.delivery === null)).toBe(true);
      expect((await reader.get('/v1/alerts?severity=high')).body.items.map((alert: any) => alert.id)).toEqual([warningAlert.id]);

      const pages: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await reader.get(`/v1/alerts?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        pages.push(...page.body.items.map((alert: any) => alert.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(pages).toEqual([...low.body.items.map((alert: any) => alert.id), warningAlert.id]);

      const since = low.body.items[1].triggeredAt;
      const recent = (await reader.get(`/v1/alerts?since=${encodeURIComponent(since)}`)).body.items;
      expect(recent.every((alert: any) => alert.triggeredAt >= since)).toBe(true);
      expect(recent.map((alert: any) => alert.id)).toEqual(expect.arrayContaining(low.body.items.slice(0, 2).map((alert: any) => alert.id)));
      expect((await reader.get('/v1/alerts?since=2999-01-01')).body).toEqual({ items: [], nextCursor: null });

      for (const query of ['severity=urgent', 'limit=0', 'limit=501', 'cursor=not-a-cursor', 'since=yesterday', 'colour=red']) {
        const response = await reader.get(`/v1/alerts?${query}`);
        expect({ query, status: response.status }).toEqual({ query, status: 400 });
      }
      expect((await reader.get('/v1/alerts/00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await reader.get('/v1/alerts/00000000-0000-4000-8000-000000000000/deliveries')).status).toBe(404);
      expect((await reader.get(`/v1/alerts/${low.body.items[0].id}/deliveries`)).body).toEqual({ items: [], nextCursor: null });
    });

    it('alerts a demand still open a day after it was issued once that time passes, with no new event; not one answered just before', async () => {
      const rule = (await admin.post('/v1/alert-rules', { name: 'RUS demands open a day', kind: 'unanswered-demand', severity: 'medium', afterDays: 1, match: { parties: ['RUS'] } })).body;
      const dayAgo = (plusSeconds: number) => new Date(Date.now() - 86_400_000 + plusSeconds * 1_000).toISOString();
      // Deadlines 3 and 4 seconds from now; the first demand is answered at once, before its deadline.
      const answered = await writer.post('/v1/demands', { id: 'answered-in-time', by: 'RUS', addressedTo: ['NATO'], issue: 'ukraine-nato-membership', summary: 'answered in time', ...provenance, occurredAt: dayAgo(3) });
      const open = await writer.post('/v1/demands', { id: 'left-open', by: 'RUS', addressedTo: ['NATO', 'USA'], issue: 'ukraine-nato-membership', summary: 'left open', ...provenance, occurredAt: dayAgo(4) });
      expect([answered.status, open.status]).toEqual([201, 201]);
      const rejection = await writer.post('/v1/demands/answered-in-time/rejections', { by: 'NATO', ...provenance, occurredAt: new Date().toISOString() });
      expect(rejection.status).toBe(201);
      const demandAlerts = () => reader.get('/v1/alerts?severity=medium');
      expect((await demandAlerts()).body.items).toEqual([]);

      const alerts = await eventually(demandAlerts, (response) => response.body.items.length > 0, 'the overdue demand\'s alert');
      expect(alerts.body.items).toEqual([expect.objectContaining({
        ruleId: rule.id, kind: 'unanswered-demand', eventIds: open.body.eventIds, parties: ['RUS', 'NATO', 'USA'],
        details: expect.objectContaining({ demandId: 'left-open', afterDays: 1, unansweredBy: ['NATO', 'USA'] }),
      })]);
      // The sweep that raised it was past the answered demand's (earlier) deadline too, and left it alone.
    });
  });
});
