// The docs page as a browser opens it: no key to navigate, the operations listed, and "Authorize"
// taking the key that "Try it out" then sends.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { client, launchChromium, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'docs-page-admin-key-0000000';
const screenshots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

describe('/docs in a browser', () => {
  let served: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    await client(served.baseUrl, adminKey).post('/v1/parties', { id: 'NATO', name: 'NATO', kind: 'organization' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await served.close();
  });

  it('lists the operations, and tries one with the key given to Authorize', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const opened = await page.goto(`${served.baseUrl}/docs`);
    expect(opened?.status()).toBe(200);
    await page.locator('.opblock').first().waitFor();
    const { paths } = (await client(served.baseUrl).get('/openapi.json')).body as { paths: Record<string, object> };
    const operations = Object.values(paths).reduce((count, item) => count + Object.keys(item).length, 0);
    expect(await page.locator('.opblock').count()).toBe(operations);
    expect(await page.locator('#operations-parties-listParties .opblock-summary-description').innerText()).toBe('List the registered parties');
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: `${screenshots}api-docs.png` });

    await page.locator('.auth-wrapper button.authorize').click();
    const dialog = page.locator('.dialog-ux');
    await dialog.locator('input').fill(adminKey);
    await dialog.locator('.auth-btn-wrapper button.authorize').click();
    await dialog.locator('button.btn-done').click();

    const listParties = page.locator('#operations-parties-listParties');
    await listParties.locator('.opblock-summary').click();
    await listParties.locator('.try-out__btn').click();
    await listParties.locator('button.execute').click();
    const answer = listParties.locator('.live-responses-table tbody .response-col_status');
    await answer.waitFor();
    expect((await answer.innerText()).trim()).toBe('200');
    expect(await listParties.locator('.curl-command').innerText()).toContain(`Authorization: Bearer ${adminKey}`);
    expect(await listParties.locator('.live-responses-table tbody .response-col_description').innerText()).toContain('"NATO"');
  }, 120_000);
});
