import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { client, type Client, declaredMetrics, metricSample as sample, metricSamples, startTestApp, type TestApp, waitFor } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'metrics-admin-key-000000000';
const dashboard = JSON.parse(readFileSync(new URL('../../docs/grafana/chancery-dashboard.json', import.meta.url), 'utf8')) as {
  panels: Array<{ id: number; type: string; targets?: Array<{ expr: string }> }>;
  templating: { list: Array<{ name: string; query: unknown }> };
};

describe('/metrics', () => {
  let served: TestApp;
  let admin: Client;

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    admin = client(served.baseUrl, adminKey);
  });

  afterAll(() => served.close());

  const metrics = async () => String((await admin.get('/metrics')).body);

  it('needs a key and answers in the Prometheus text format', async () => {
    expect((await client(served.baseUrl).get('/metrics')).status).toBe(401);
    const response = await admin.get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(String(response.body)).toContain('# TYPE chancery_commands_total counter');
    expect(String(response.body)).toContain('# TYPE chancery_consumer_replacements_total counter');
    expect(String(response.body)).toContain('# TYPE chancery_consumer_lag_events gauge');
  });

  it('has the default process and Node.js metrics under their standard names, and under the first ones', async () => {
    const text = await metrics();
    expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'process_start_time_seconds')).toBeGreaterThan(1_700_000_000);
    expect(sample(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'chancery_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts commands by use case and status, times them, and shows the outbox and projections', async () => {
    await admin.post('/v1/parties', { id: 'RUS', name: 'Russia', kind: 'state' });
    await admin.post('/v1/parties', { id: 'RUS', name: 'Russia', kind: 'state' });
    const registered = await admin.post('/v1/parties', { id: 'NATO', name: 'NATO', kind: 'organization' });
    await admin.get('/v1/parties/NATO', { 'x-consistency-token': registered.body.consistencyToken });
    const text = await metrics();
    expect(sample(text, 'chancery_commands_total', { command: 'RegisterParty', status: '201' })).toBe(2);
    expect(sample(text, 'chancery_commands_total', { command: 'RegisterParty', status: '409' })).toBe(1);
    expect(sample(text, 'chancery_command_duration_seconds_count', { command: 'RegisterParty' })).toBe(3);
    expect(sample(text, 'chancery_outbox_backlog')).toBe(0);
    expect(sample(text, 'chancery_projection_events_applied', { projection: 'parties', status: 'live' })).toBe(2);
    expect(sample(text, 'chancery_projection_lag_seconds', { projection: 'parties' })).toBe(0);
    expect(sample(text, 'chancery_projection_lag_events', { projection: 'alerter' })).toBeDefined();
    expect(sample(text, 'chancery_webhook_deliveries', { status: 'dead' })).toBe(0);
  });

  it('shows the consumer lag of every group it consumes in, per partition, down to 0 once caught up', async () => {
    const { groupPrefix, topicPrefix } = served.config.kafka;
    const groups = [`${groupPrefix}.projections.live`, `${groupPrefix}.projection.alerter.v1`];
    const caughtUp = async () => {
      const lag = metricSamples(await metrics(), 'chancery_consumer_lag_events');
      return groups.every((group) => lag.filter(({ labels }) => labels.group === group).length === 3)
        && lag.every(({ value }) => value === 0);
    };
    await waitFor(caughtUp);
    const lag = metricSamples(await metrics(), 'chancery_consumer_lag_events');
    expect(lag.map(({ labels }) => labels).sort((a, b) => `${a.group}${a.partition}`.localeCompare(`${b.group}${b.partition}`))).toEqual(
      groups.sort().flatMap((group) => ['0', '1', '2'].map((partition) => ({ group, topic: `${topicPrefix}.events`, partition }))));
  });

  it('backs every query of the Grafana dashboard in docs/ with a metric it serves', async () => {
    const declared = declaredMetrics(await metrics());
    const targets = dashboard.panels.flatMap((panel) => panel.targets ?? []);
    expect(targets.length).toBeGreaterThan(10);
    const queried = new Set([...targets.map((target) => target.expr), JSON.stringify(dashboard.templating.list.map((variable) => variable.query))]
      .flatMap((expr) => [...expr.matchAll(/\b((?:chancery|process|nodejs)_[a-z0-9_]+)/g)].map(([, name]) => name!.replace(/_(bucket|sum|count)$/, ''))));
    expect([...queried].filter((name) => !declared.has(name))).toEqual([]);
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
