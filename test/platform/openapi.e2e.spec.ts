import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'openapi-admin-key-000000000';

describe('OpenAPI document', () => {
  let served: TestApp;
  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
  });
  afterAll(() => served.close());

  it('needs an API key, like every endpoint but health', async () => {
    expect((await client(served.baseUrl).get('/openapi.json')).status).toBe(401);
    expect((await client(served.baseUrl).get('/docs')).status).toBe(401);
  });

  it('describes the write and read endpoints, with the body schema of a development', async () => {
    const response = await client(served.baseUrl, adminKey).get('/openapi.json');
    expect(response.status).toBe(200);
    const paths = Object.keys(response.body.paths);
    expect(paths).toEqual(expect.arrayContaining([
      '/v1/demands', '/v1/demands/{id}/rejections', '/v1/meetings/scheduled', '/v1/import', '/v1/timeline', '/v1/api-keys', '/health/ready',
    ]));
    const demandBody = response.body.paths['/v1/demands'].post.requestBody.content['application/json'].schema;
    expect(demandBody.required).toEqual(expect.arrayContaining(['by', 'addressedTo', 'issue', 'summary', 'occurredAt', 'sources']));
    expect(demandBody.additionalProperties).toBe(false);
  });

  it('serves the docs page to a key holder', async () => {
    const page = await client(served.baseUrl, adminKey).get('/docs');
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('swagger');
  });
});
