import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import SwaggerParser from '@apidevtools/swagger-parser';
import { client, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'openapi-admin-key-000000000';
const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;

type Operation = {
  operationId?: string;
  summary?: string;
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
};

type OpenApiDocument = { openapi: string; paths: Record<string, Partial<Record<(typeof methods)[number], Operation>>>; components: Record<string, Record<string, unknown>> };

function operationsOf(document: OpenApiDocument): Array<{ path: string; method: string; operation: Operation }> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    methods.flatMap((method) => (item[method] ? [{ path, method, operation: item[method] }] : [])));
}

describe('OpenAPI document', () => {
  let served: TestApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    document = (await client(served.baseUrl).get('/openapi.json')).body;
  });
  afterAll(() => served.close());

  it('is served without a key, as is the docs page, while the API still needs one', async () => {
    const answer = await client(served.baseUrl).get('/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const page = await client(served.baseUrl).get('/docs');
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('swagger-ui');
    expect((await client(served.baseUrl).get('/v1/parties')).status).toBe(401);
  });

  it('is OpenAPI 3.1 that a standard validator accepts', async () => {
    expect(document.openapi).toBe('3.1.0');
    // Validates against the OpenAPI 3.1 schema and resolves every $ref; throws naming the first fault.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('names and summarises every operation, with its answers, errors as problem+json and the bearer key', () => {
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(40);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(document.components.securitySchemes!.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const { path, method, operation } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect({ where, operationId: operation.operationId }).toEqual({ where, operationId: expect.stringMatching(/^[a-z][A-Za-z]+$/) });
      expect({ where, summary: operation.summary }).toEqual({ where, summary: expect.stringMatching(/\w{3}/) });
      const statuses = Object.keys(operation.responses);
      expect({ where, success: statuses.some((status) => status.startsWith('2')) }).toEqual({ where, success: true });
      if (path.startsWith('/health/')) {
        expect({ where, security: operation.security }).toEqual({ where, security: undefined });
        continue;
      }
      expect({ where, security: operation.security }).toEqual({ where, security: [{ bearer: [] }] });
      expect({ where, statuses }).toEqual({ where, statuses: expect.arrayContaining(['401', '429', '503']) });
      for (const status of statuses.filter((code) => Number(code) >= 400)) {
        const content = operation.responses[status]!.content;
        expect({ where, status, content }).toEqual({ where, status, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
      }
    }
    expect(document.components.schemas!.Problem).toMatchObject({ required: ['type', 'title', 'status', 'detail'] });
  });

  it('describes the write and read endpoints, with the body schema of a development', () => {
    const paths = Object.keys(document.paths);
    expect(paths).toEqual(expect.arrayContaining([
      '/v1/demands', '/v1/demands/{id}/rejections', '/v1/meetings/scheduled', '/v1/import', '/v1/timeline', '/v1/api-keys', '/health/ready',
    ]));
    const demandBody = (document.paths['/v1/demands']!.post as unknown as { requestBody: { content: Record<string, { schema: Record<string, unknown> }> } })
      .requestBody.content['application/json']!.schema;
    expect(demandBody.required).toEqual(expect.arrayContaining(['by', 'addressedTo', 'issue', 'summary', 'occurredAt', 'sources']));
    expect(demandBody.additionalProperties).toBe(false);
    // JSON Schema 2020-12 as the document's own dialect, not a standalone document's `$schema`.
    expect(demandBody.$schema).toBeUndefined();
  });

  it('shows the roles: a read needs any key, a write refuses a reader (403), an admin operation too', () => {
    expect(document.paths['/v1/parties']!.get!.responses['403']).toBeUndefined();
    expect(document.paths['/v1/parties']!.post!.responses['403']).toBeDefined();
    expect(document.paths['/v1/api-keys']!.get!.responses['403']).toBeDefined();
  });
});
