// The console's reading pages in headless Chromium over the real stack, on the seed article: the
// positions grid and its pickers, demands, the timeline with live updates, a pair's relation.
// Each page is found by its roles and labels, as a screen reader finds it, and photographed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { client, type Client, startTestApp, type TestApp, waitFor } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';
import { accessibilityProblems, closeBrowser, type ConsoleTab, firstVisitLoadTime, launchChromium, loadTime, openConsole, recordLoadTimes, screenshot } from './console-browser.js';

const adminKey = 'console-reading-admin-key-0000';
const natoOnMembership = /^North Atlantic Treaty Organization on Ukraine’s membership of NATO/;

describe('the console, reading the seed article', () => {
  let served: TestApp;
  let browser: Browser;
  let writer: Client;
  let readerKey: string;
  let tab: ConsoleTab;
  let page: Page;
  const measured: Record<string, number> = {};

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    const admin = client(served.baseUrl, adminKey);
    writer = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'analyst', role: 'writer' })).body.key);
    readerKey = (await admin.post('/v1/api-keys', { name: 'dashboard', role: 'reader' })).body.key;
    const seed = await readFile(new URL('../../demo/seed-article.ndjson', import.meta.url), 'utf8');
    const report = await writer.post('/v1/import', seed, { 'content-type': 'application/x-ndjson' });
    expect(report.body.rejected).toEqual([]);
    await client(served.baseUrl, readerKey).get('/v1/timeline?limit=1', { 'x-consistency-token': report.body.consistencyToken });
    browser = await launchChromium();
    tab = await openConsole(browser, served.baseUrl, readerKey);
    page = tab.page;
  });

  // A whole stack and a browser stop slowly on a loaded machine; the bound is for the teardown, not a measure.
  afterAll(async () => {
    await closeBrowser(browser);
    await served?.close();
  }, 120_000);

  it('serves its pages without a key, with a content security policy, and nothing else under /console', async () => {
    const index = await fetch(`${served.baseUrl}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(await index.text())![1]!;
    const asset = await fetch(`${served.baseUrl}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${served.baseUrl}/console/no-such-page`)).status).toBe(404);
    // The data stays behind the key.
    expect((await fetch(`${served.baseUrl}/v1/parties`)).status).toBe(401);
  });

  it('refuses a key the API does not know, saying so, and keeps none', async () => {
    const context = await browser.newContext({ baseURL: served.baseUrl });
    const other = await context.newPage();
    await other.goto('/console/');
    await other.getByLabel('API key').fill('not-a-key-of-this-server');
    await other.getByRole('button', { name: 'Use this key' }).click();
    await other.getByRole('alert').filter({ hasText: 'The API key is not known.' }).waitFor();
    expect(await other.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await accessibilityProblems(other)).toEqual([]);
    await context.close();
  });

  it('shows NATO rejecting a guarantee on Ukraine’s membership, the development it rests on one click away', async () => {
    await page.getByRole('link', { name: 'Positions' }).click();
    const cell = page.getByRole('button', { name: natoOnMembership });
    expect(await cell.innerText()).toMatch(/:\s+rejects\s+since 2022-01-12$/);
    await screenshot(page, 'positions');
    expect(await accessibilityProblems(page)).toEqual([]);

    // By keyboard: the cell opens its development; Escape closes it and gives the focus back.
    await cell.focus();
    await page.keyboard.press('Enter');
    const development = page.getByRole('dialog', { name: /North Atlantic Treaty Organization rejects: Ukraine’s membership of NATO/ });
    await development.waitFor();
    expect(await development.innerText()).toContain('IRNA, quoting Reuters');
    expect(await development.locator('blockquote').count()).toBeGreaterThan(0);
    await screenshot(page, 'positions-development');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await development.waitFor({ state: 'hidden' });
    expect(await page.locator(':focus').getAttribute('aria-label')).toBe(await cell.getAttribute('aria-label'));
  });

  it('redraws the grid as it was a day earlier, and as it was known before the article was recorded', async () => {
    await page.getByLabel('As of (valid time, UTC day)').fill('2022-01-12');
    await page.getByText('Stances as of 2022-01-12, as known at now.').waitFor();
    expect(await page.getByRole('button', { name: natoOnMembership }).innerText()).toMatch(/:\s+rejects\s/);

    await page.getByRole('button', { name: 'Day before' }).click();
    await page.getByText('Stances as of 2022-01-11, as known at now.').waitFor();
    expect(await page.getByLabel('As of (valid time, UTC day)').inputValue()).toBe('2022-01-11');
    await page.getByRole('button', { name: natoOnMembership }).waitFor({ state: 'detached' });
    // Russia had already made its demand; NATO had not answered.
    const natoRow = page.getByRole('row', { name: /^North Atlantic Treaty Organization/ });
    expect(await natoRow.getByRole('button').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Russia on Ukraine’s membership of NATO: demands since 2021-12-17$/ }).count()).toBe(1);
    await screenshot(page, 'positions-as-of');

    await page.getByRole('button', { name: 'Now' }).first().click();
    await page.getByLabel('Known at (recorded time, UTC)').fill('2022-01-13T00:00');
    await page.getByText('Stances as of now, as known at 2022-01-13T00:00 UTC.').waitFor();
    expect(await page.getByRole('table').getByRole('button').count()).toBe(0);
    await page.getByRole('button', { name: 'Now' }).last().click();
    await page.getByRole('button', { name: natoOnMembership }).waitFor();
  });

  it('lists the demands unanswered longest and who answered the others, and when', async () => {
    await page.getByRole('link', { name: 'Demands' }).click();
    // A change of page moves the focus to its heading, as a new document would.
    await page.getByRole('heading', { level: 1, name: 'Demands' }).waitFor();
    expect(await page.locator(':focus').innerText()).toBe('Demands');
    const waiting = page.getByRole('region', { name: 'Unanswered longest' });
    const guarantee = waiting.getByRole('row', { name: /A guarantee that Ukraine will not join NATO/ });
    expect(await guarantee.innerText()).toContain('United States');
    expect(await guarantee.innerText()).not.toContain('North Atlantic Treaty Organization');
    const all = page.getByRole('region', { name: 'All demands' });
    expect(await all.getByRole('row', { name: /A guarantee that Ukraine will not join NATO/ }).innerText())
      .toContain('North Atlantic Treaty Organization rejected on 2022-01-12');
    await screenshot(page, 'demands');
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByLabel('Status').selectOption('withdrawn');
    await all.getByText('No demand has that status.').waitFor();
    await page.getByLabel('Status').selectOption('');
  });

  it('shows a development recorded over the API on the timeline within 2 s, and strikes it through once retracted', async () => {
    await page.getByRole('link', { name: 'Timeline' }).click();
    await page.getByRole('status').filter({ hasText: 'Live: new developments appear as they are recorded' }).waitFor();
    await page.getByRole('list', { name: 'Developments, newest first' }).waitFor();
    await screenshot(page, 'timeline');
    expect(await accessibilityProblems(page)).toEqual([]);

    const summary = `NATO repeats that its door stays open (${Date.now()})`;
    const recorded = await writer.post('/v1/statements', {
      by: 'NATO', issue: 'nato-open-door', stance: 'supports', summary, occurredAt: new Date().toISOString().slice(0, 10),
      sources: [{ citation: 'IRNA quoting Reuters', outlet: 'IRNA', via: 'Reuters' }],
    });
    expect(recorded.status).toBe(201);
    const started = Date.now();
    const item = page.getByRole('listitem').filter({ hasText: summary });
    await item.waitFor({ timeout: 2_000 });
    const arrivedMs = Date.now() - started;
    expect(await item.locator('del').count()).toBe(0);

    const retracted = await writer.post(`/v1/events/${recorded.body.eventIds[0]}/retractions`, { reason: 'recorded by mistake' });
    expect(retracted.status).toBe(201);
    await item.locator('del').filter({ hasText: summary }).waitFor({ timeout: 5_000 });
    expect(await item.innerText()).toContain('retracted');
    measured.developmentOnTimelineMs = arrivedMs;
  });

  it('filters the timeline by party, type and day', async () => {
    await page.getByLabel('Type').selectOption({ label: 'Warning given' });
    await page.getByLabel('Party').selectOption({ label: 'North Atlantic Treaty Organization' });
    await page.getByLabel('From (UTC day)').fill('2022-01-12');
    await page.getByLabel('To (UTC day)').fill('2022-01-12');
    const developments = page.getByRole('list', { name: 'Developments, newest first' }).getByRole('listitem');
    await waitFor(async () => (await developments.count()) === 1, 5_000);
    expect(await developments.first().innerText()).toMatch(/Warning given/);
    expect(page.url()).toContain('type=WarningGiven');

    await page.getByLabel('To (UTC day)').fill('2022-01-11');
    await page.getByText('No development matches these filters.').waitFor();
  });

  it('charts NATO and Russia day by day, its last tension the API’s own', async () => {
    await page.getByRole('link', { name: 'Relations' }).click();
    await page.getByLabel('First party').selectOption({ label: 'North Atlantic Treaty Organization' });
    await page.getByLabel('Second party').selectOption({ label: 'Russia' });
    const relation = (await client(served.baseUrl, readerKey).get('/v1/relations/NATO/RUS')).body;
    const figures = page.locator('dl.figures');
    await figures.getByText(`+${relation.tension7d}`).waitFor();
    await page.getByRole('img', { name: /Goldstein sum per day over \d+ days/ }).locator('canvas').first().waitFor();
    const table = page.getByRole('table', { name: /day by day/ });
    const lastDay = table.getByRole('row').last();
    expect(await lastDay.getByRole('cell').nth(4).innerText()).toBe(`+${relation.tension7d}`);
    expect(await lastDay.getByRole('cell').nth(5).innerText()).toBe(`+${relation.tension30d}`);
    expect(await table.getByRole('row').count()).toBe(relation.days.length + 1);
    await screenshot(page, 'relations');
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it('tells a reader the Operations page needs an admin key', async () => {
    await page.getByRole('link', { name: 'Operations' }).click();
    await page.getByRole('alert').filter({ hasText: 'This needs the admin role' }).first().waitFor();
  });

  it('works from the keyboard alone: the pages are links in the tab order, the skip link jumps to the page', async () => {
    await page.goto('/console/#/positions');
    await page.reload();
    await page.getByRole('button', { name: natoOnMembership }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').innerText()).toBe('Skip to the page');
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').innerText()).toBe('Positions');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Demands' }).waitFor();

    await page.reload();
    await page.getByRole('region', { name: 'Unanswered longest' }).getByRole('table').waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await page.locator(':focus').getAttribute('id')).toBe('main');
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').getAttribute('id')).toBe('demand-status');
  });

  it('loads each page on the seed data, and every call it made carried the key', async () => {
    const pages = [['positions', '#/positions'], ['demands', '#/demands'], ['timeline', '#/timeline'], ['relations', '#/relations?a=NATO&b=RUS']] as const;
    const loads: Record<string, number> = {};
    for (const [name, hash] of pages) loads[name] = await loadTime(page, hash, name);
    const firstVisit = await firstVisitLoadTime(browser, served.baseUrl, readerKey, '#/positions', 'positions');
    for (const load of [...Object.values(loads), firstVisit.loaded]) expect(load).toBeGreaterThan(0);
    await recordLoadTimes('reading-pages', {
      about: 'ms from the navigation start to the page\'s data on screen (its chancery:<page>:loaded mark), seed article, reader key',
      loads, positionsFirstVisit: firstVisit, ...measured,
    });

    expect(tab.apiCalls.length).toBeGreaterThan(20);
    expect(tab.apiCalls.filter((call) => !call.keyed)).toEqual([]);
    expect(tab.errors).toEqual([]);
  });
});
