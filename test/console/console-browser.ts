// The console in a real browser for e2e tests: Debian's Chromium, headless, driven by playwright-core,
// signed in with a pasted key; every request the pages make and every error they log are kept.
import { mkdir, writeFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Its tabs first, so their open requests (the live stream) end before the browser and then the server go. */
export async function closeBrowser(browser: Browser | undefined): Promise<void> {
  if (!browser) return;
  for (const context of browser.contexts()) await context.close();
  await browser.close();
}

export type ApiCall = { method: string; path: string; keyed: boolean };

export type ConsoleTab = { page: Page; apiCalls: ApiCall[]; errors: string[] };

/** A new tab on the console, the key pasted and accepted. */
export async function openConsole(browser: Browser, baseUrl: string, key: string): Promise<ConsoleTab> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, baseURL: baseUrl, locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  const apiCalls: ApiCall[] = [];
  const errors: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/v1/')) {
      apiCalls.push({ method: request.method(), path: `${url.pathname}${url.search}`, keyed: request.headers().authorization === `Bearer ${key}` });
    }
  });
  page.on('console', (message) => {
    // A 4xx the page asked for on purpose is the browser's log line too; the page shows it as a problem.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/console/');
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Use this key' }).click();
  await page.getByRole('navigation', { name: 'Pages' }).waitFor();
  return { page, apiCalls, errors };
}

/**
 * What axe (the accessibility engine) finds against WCAG 2.1 A and AA on the page as it stands:
 * missing labels and names, contrast, landmarks, table headers. Empty when a screen reader and a
 * keyboard user are served.
 */
export async function accessibilityProblems(page: Page): Promise<Array<{ rule: string; impact: string; where: string[] }>> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((violation) => ({
    rule: `${violation.id}: ${violation.help}`,
    impact: violation.impact ?? 'unknown',
    where: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
  }));
}

const screenshots = new URL('../../docs/console/', import.meta.url);

/** The page as a user sees it, for the README and for a reviewer's eyes. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshots, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, screenshots).pathname, fullPage: true, animations: 'disabled' });
}

/**
 * Opens a page as a fresh document and returns how long after the navigation started its data was
 * first on screen: the page's own `chancery:<page>:loaded` mark, read in the browser.
 */
export async function loadTime(page: Page, hash: string, mark: string): Promise<number> {
  await page.goto('about:blank');
  await page.goto(`/console/${hash}`);
  await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, `chancery:${mark}:loaded`, { timeout: 30_000 });
  return page.evaluate((name) => Math.round(performance.getEntriesByName(name)[0]!.startTime), `chancery:${mark}:loaded`);
}

export async function recordLoadTimes(name: string, figures: Record<string, unknown>): Promise<void> {
  await mkdir(screenshots, { recursive: true });
  await writeFile(new URL(`${name}.json`, screenshots), `${JSON.stringify(figures, null, 2)}\n`);
}

/**
 * The same on a first visit: a new browser profile (nothing cached), the key already in the tab's
 * session storage. Also when the page's script had arrived and when its first API call went out,
 * to tell the download and start-up from the reads.
 */
export async function firstVisitLoadTime(browser: Browser, baseUrl: string, key: string, hash: string, mark: string) {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1360, height: 860 } });
  try {
    await context.addInitScript((pasted) => globalThis.sessionStorage.setItem('chancery.console.apiKey', pasted), key);
    const page = await context.newPage();
    await page.goto(`/console/${hash}`);
    await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, `chancery:${mark}:loaded`, { timeout: 30_000 });
    return await page.evaluate((name) => {
      const resources = performance.getEntriesByType('resource') as unknown as Array<{ name: string; startTime: number; responseEnd: number }>;
      return {
        loaded: Math.round(performance.getEntriesByName(name)[0]!.startTime),
        scriptArrived: Math.round(resources.find((resource) => resource.name.endsWith('.js'))?.responseEnd ?? 0),
        firstApiCall: Math.round(resources.find((resource) => resource.name.includes('/v1/'))?.startTime ?? 0),
      };
    }, `chancery:${mark}:loaded`);
  } finally {
    await context.close();
  }
}
