import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, type Client, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'metrics-admin-key-000000000';

function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text.split('\n').find((candidate) => candidate.startsWith(name) && !candidate.startsWith('#')
    && (candidate[name.length] === ' ' || candidate[name.length] === '{') && wanted.every((label) => candidate.includes(label)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('/metrics', () => {
  let served: TestApp;
  let admin: Client;

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    admin = client(served.baseUrl, adminKey);
  });

  afterAll(() => served.close());

  it('needs a key and answers in the Prometheus text format', async () => {
    expect((await client(served.baseUrl).get('/metrics')).status).toBe(401);
    const response = await admin.get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(String(response.body)).toContain('# TYPE chancery_commands_total counter');
    expect(String(response.body)).toContain('# TYPE chancery_consumer_replacements_total counter');
  });

  it('counts commands by use case and status, times them, and shows the outbox and projections', async () => {
    await admin.post('/v1/parties', { id: 'RUS', name: 'Russia', kind: 'state' });
    await admin.post('/v1/parties', { id: 'RUS', name: 'Russia', kind: 'state' });
    const registered = await admin.post('/v1/parties', { id: 'NATO', name: 'NATO', kind: 'organization' });
    await admin.get('/v1/parties/NATO', { 'x-consistency-token': registered.body.consistencyToken });
    const text = String((await admin.get('/metrics')).body);
    expect(sample(text, 'chancery_commands_total', { command: 'RegisterParty', status: '201' })).toBe(2);
    expect(sample(text, 'chancery_commands_total', { command: 'RegisterParty', status: '409' })).toBe(1);
    expect(sample(text, 'chancery_command_duration_seconds_count', { command: 'RegisterParty' })).toBe(3);
    expect(sample(text, 'chancery_outbox_backlog')).toBe(0);
    expect(sample(text, 'chancery_projection_events_applied', { projection: 'parties', status: 'live' })).toBe(2);
    expect(sample(text, 'chancery_projection_lag_seconds', { projection: 'parties' })).toBe(0);
    expect(sample(text, 'chancery_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'chancery_webhook_deliveries', { status: 'dead' })).toBe(0);
  });
});
