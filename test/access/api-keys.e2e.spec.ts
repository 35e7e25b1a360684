import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'test-admin-key-0123456789';

describe('API keys and roles', () => {
  let served: TestApp;
  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
  });
  afterAll(() => served.close());

  it('refuses a request without a key with 401 problem+json and a Bearer challenge', async () => {
    const response = await client(served.baseUrl).get('/v1/api-keys');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.body).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('refuses an unknown key with 401', async () => {
    expect((await client(served.baseUrl, 'chk_not-a-key').get('/v1/api-keys')).status).toBe(401);
  });

  it('lets the bootstrap admin create a key that is shown once and stored only as a digest', async () => {
    const admin = client(served.baseUrl, adminKey);
    const created = await admin.post('/v1/api-keys', { name: 'analyst-1', role: 'writer' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ name: 'analyst-1', role: 'writer', key: expect.stringMatching(/^chk_[\w-]{43}$/) });

    const listed = await admin.get('/v1/api-keys');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual(expect.arrayContaining([
      { name: 'analyst-1', role: 'writer', createdAt: expect.any(String) },
      { name: 'bootstrap-admin', role: 'admin', createdAt: expect.any(String) },
    ]));
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
  });

  it('gives 403 to a key whose role is too low, and 409 to a second key of the same name', async () => {
    const admin = client(served.baseUrl, adminKey);
    const reader = (await admin.post('/v1/api-keys', { name: 'dashboard', role: 'reader' })).body.key;
    const forbidden = await client(served.baseUrl, reader).get('/v1/api-keys');
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.detail).toContain('admin');
    expect((await admin.post('/v1/api-keys', { name: 'dashboard', role: 'writer' })).status).toBe(409);
  });

  it('validates the new key strictly: unknown fields and bad roles are 400 with the paths', async () => {
    const admin = client(served.baseUrl, adminKey);
    const response = await admin.post('/v1/api-keys', { name: 'x', role: 'owner', extra: true });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: 'role' }),
      expect.objectContaining({ path: '(root)', message: expect.stringContaining('extra') }),
    ]));
  });

  it('revokes a key: it stops working, and revoking it again is 404', async () => {
    const admin = client(served.baseUrl, adminKey);
    const key = (await admin.post('/v1/api-keys', { name: 'temporary', role: 'admin' })).body.key;
    expect((await client(served.baseUrl, key).get('/v1/api-keys')).status).toBe(200);
    expect((await admin.delete('/v1/api-keys/temporary')).status).toBe(204);
    expect((await client(served.baseUrl, key).get('/v1/api-keys')).status).toBe(401);
    expect((await admin.delete('/v1/api-keys/temporary')).status).toBe(404);
  });

  it('answers malformed JSON with 400 and an oversized body with 413, both problem+json', async () => {
    const admin = client(served.baseUrl, adminKey);
    const malformed = await admin.post('/v1/api-keys', '{"name": "x",', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toBe('/problems/malformed-json');
    const huge = await admin.post('/v1/api-keys', { name: 'x'.repeat(2_000_000), role: 'reader' });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
