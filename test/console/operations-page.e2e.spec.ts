// The console's Operations page in headless Chromium over the real stack, with an admin key: the
// projections with their lag, a rebuild started from its button and followed to the swap, the
// dead-letter list, and an alert with its webhook delivery.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { createKafka } from '#event-log';
import { client, type Client, startTestApp, type TestApp, testBrokers, topicsFor, waitFor } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';
import { useTestAlerterSettings } from '../alerts/alerting-stack.js';
import { startWebhookReceiver, type WebhookReceiver } from '../alerts/webhook-receiver.js';
import { accessibilityProblems, closeBrowser, type ConsoleTab, launchChromium, loadTime, openConsole, recordLoadTimes, screenshot } from './console-browser.js';

const adminKey = 'console-operations-admin-key-00';

describe('the console’s Operations page', () => {
  let served: TestApp;
  let browser: Browser;
  let admin: Client;
  let receiver: WebhookReceiver;
  let tab: ConsoleTab;
  let page: Page;

  beforeAll(async () => {
    useTestAlerterSettings();
    // The projections log the unreadable record below as an error each; that is the point, not news.
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey, LOG_LEVEL: 'fatal' });
    admin = client(served.baseUrl, adminKey);
    receiver = await startWebhookReceiver(() => 200);
    const rule = await admin.post('/v1/alert-rules', {
      name: 'military warnings', kind: 'event', severity: 'high', match: { types: ['WarningGiven'] },
      webhook: { url: receiver.url, secret: 'console-webhook-secret-0000' },
    });
    expect(rule.body).toMatchObject({ name: 'military warnings' });
    const seed = await readFile(new URL('../../demo/seed-article.ndjson', import.meta.url), 'utf8');
    const report = await admin.post('/v1/import', seed, { 'content-type': 'application/x-ndjson' });
    expect(report.body.rejected).toEqual([]);
    await admin.get('/v1/timeline?limit=1', { 'x-consistency-token': report.body.consistencyToken });
    await receiver.requests(1);

    // A record no projection can read, put on the topic as a broken producer would: each sets it aside.
    const producer = createKafka(testBrokers(), 'console-test-producer').producer();
    await producer.connect();
    await producer.send({ topic: topicsFor(served.config.kafka.topicPrefix).events, messages: [{ key: 'party-NATO', value: 'not an event envelope' }] });
    await producer.disconnect();
    await waitFor(async () => (await admin.get('/v1/projection-failures')).body.items.length > 0);

    browser = await launchChromium();
    tab = await openConsole(browser, served.baseUrl, adminKey);
    page = tab.page;
    await page.getByRole('link', { name: 'Operations' }).click();
  });

  // A whole stack and a browser stop slowly on a loaded machine; the bound is for the teardown, not a measure.
  afterAll(async () => {
    await closeBrowser(browser);
    await receiver?.close();
    await served?.close();
  }, 120_000);

  it('lists every projection generation, live and caught up, with its lag', async () => {
    const projections = (await admin.get('/v1/projections')).body as Array<{ name: string }>;
    const table = page.getByRole('region', { name: 'Projections' }).getByRole('table');
    for (const { name } of projections) {
      const row = table.getByRole('row', { name: new RegExp(`^${name}\\b`) });
      await row.waitFor();
      expect(await row.getByRole('cell').nth(1).innerText()).toBe('live');
    }
    expect(await table.getByRole('row').count()).toBe(projections.length + 1);
  });

  it('starts a rebuild from its button and follows it to the swap', async () => {
    await page.getByRole('status').filter({ hasText: 'Hearing rebuild progress live' }).waitFor();
    const before = ((await admin.get('/v1/projections')).body as Array<{ name: string; version: number }>)
      .find((overview) => overview.name === 'timeline')!.version;
    await page.getByRole('group', { name: 'Rebuild a projection' }).getByRole('button', { name: 'Rebuild timeline' }).click();
    const log = page.getByRole('list', { name: 'Rebuild log' });
    await log.getByText(`timeline: rebuild requested, generation ${before + 1}`).waitFor();
    // Progress as the projector reports it on the live stream, then the swap.
    await log.getByText(new RegExp(`timeline generation ${before + 1}: applied [\\d,]+ events of partition \\d+`)).first().waitFor({ timeout: 30_000 });
    await log.getByText(new RegExp(`timeline generation ${before + 1}(:| is) live`)).waitFor({ timeout: 30_000 });
    const table = page.getByRole('region', { name: 'Projections' }).getByRole('table');
    await table.getByRole('row', { name: new RegExp(`^timeline ${before + 1}`) }).waitFor();
    await screenshot(page, 'operations');
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it('shows the dead letters: the unreadable record, set aside by each projection', async () => {
    const letters = page.getByRole('region', { name: 'Dead letters' });
    await letters.getByRole('button', { name: 'Refresh' }).click();
    const rows = letters.getByRole('row').filter({ hasText: 'unreadable record' });
    await rows.first().waitFor();
    const failures = (await admin.get('/v1/projection-failures')).body.items;
    expect(await rows.count()).toBe(failures.length);
    expect(await rows.first().innerText()).toContain(`partition ${failures[0].partition}, offset ${failures[0].offset}`);
  });

  it('shows the alert on NATO’s warning with its webhook delivery, and the attempts on request', async () => {
    const alerts = page.getByRole('region', { name: 'Alerts and webhook deliveries' });
    const alert = alerts.getByRole('row').filter({ hasText: 'military warnings' });
    await alert.waitFor();
    const delivery = alert.getByRole('button', { name: /^(delivered|pending), \d+ attempts?$/ });
    await waitFor(async () => /^delivered/.test(await delivery.innerText()) || (await alerts.getByRole('button', { name: 'Refresh' }).click(), false), 10_000);
    await delivery.click();
    expect(await delivery.getAttribute('aria-expanded')).toBe('true');
    await alerts.getByText(`To ${receiver.url}: delivered after 1 attempt(s)`).waitFor();
    expect(await alerts.getByRole('listitem').filter({ hasText: '200' }).count()).toBe(1);
    await screenshot(page, 'operations-alerts');
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it('serves the dead-letter list to admins only, by projection and page, refusing bad parameters', async () => {
    const timeline = await admin.get('/v1/projection-failures?projection=timeline&limit=1');
    expect(timeline.status).toBe(200);
    expect(timeline.body.items).toEqual([expect.objectContaining({
      projection: 'timeline', eventId: null, error: 'record value is not JSON', failedAt: expect.any(String),
    })]);
    // Generation 2 set it aside live, the rebuilt generation again: two pages of one.
    const next = await admin.get(`/v1/projection-failures?projection=timeline&limit=1&cursor=${timeline.body.nextCursor}`);
    expect(next.body.items).toHaveLength(1);
    expect(next.body.items[0].version).not.toBe(timeline.body.items[0].version);
    for (const bad of ['?limit=0', '?cursor=not-a-cursor', '?projection=no%20such', '?colour=red']) {
      const refused = await admin.get(`/v1/projection-failures${bad}`);
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    const reader = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'dashboard', role: 'reader' })).body.key);
    expect((await reader.get('/v1/projection-failures')).status).toBe(403);
  });

  it('loads on the seed data; every call it made carried the key', async () => {
    const load = await loadTime(page, '#/operations', 'operations');
    expect(load).toBeGreaterThan(0);
    await recordLoadTimes('operations-page', {
      about: 'ms from the navigation start to the page\'s data on screen (its chancery:operations:loaded mark), seed article, admin key, assets cached',
      loads: { operations: load },
    });
    expect(tab.apiCalls.filter((call) => !call.keyed)).toEqual([]);
    expect(tab.apiCalls.some((call) => call.method === 'POST' && call.path === '/v1/projections/timeline/rebuild')).toBe(true);
    expect(tab.errors).toEqual([]);
  });
});
