import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'rate-limit-admin-key-000000';

describe('rate limit per API key', () => {
  let served: TestApp;
  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey, CHANCERY_RATE_LIMIT_PER_SECOND: '5' });
  });
  afterAll(() => served.close());

  it('answers 429 with Retry-After past the limit, for that key only', async () => {
    const admin = client(served.baseUrl, adminKey);
    const other = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'other', role: 'reader' })).body.key);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    // All at once: one after another, on a loaded machine, they spread past the one-second window.
    const statuses = (await Promise.all(Array.from({ length: 8 }, () => admin.get('/v1/api-keys')))).map(({ status }) => status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    const limited = await admin.get('/v1/api-keys');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.body.type).toBe('/problems/rate-limited');
    expect((await other.get('/v1/timeline')).status).toBe(200);
  });
});
