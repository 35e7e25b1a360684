// Whatever a client sends to a write endpoint, the answer is never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { client, type Client, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'fuzz-admin-key-000000000000';

const endpoints = [
  '/v1/parties', '/v1/issues', '/v1/demands', '/v1/demands/d1/rejections', '/v1/demands/d1/acceptances',
  '/v1/demands/d1/withdrawals', '/v1/meetings', '/v1/meetings/scheduled', '/v1/meetings/m1/held',
  '/v1/meetings/m1/cancellations', '/v1/warnings', '/v1/proposals', '/v1/proposals/p1/declines',
  '/v1/proposals/p1/acceptances', '/v1/statements', '/v1/developments', '/v1/events/e1/retractions',
  '/v1/events/00000000-0000-4000-8000-000000000000/retractions', '/v1/api-keys',
];

const fieldNames = ['id', 'by', 'to', 'addressedTo', 'issue', 'summary', 'occurredAt', 'sources', 'stance', 'severity',
  'participants', 'scheduledFor', 'reason', 'kind', 'name', 'title', 'confidence', 'terms', 'delegates', 'cameo', '__proto__', 'constructor'];

const value = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
    fc.constantFrom('RUS', 'NATO', '2022-01-12', '2999-01-01', 'demands', 'high', 'state', 'https://example.org', '163', '16')),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...fieldNames), tie('node'), { maxKeys: 4 })),
})).node;

const body = fc.oneof(
  fc.dictionary(fc.constantFrom(...fieldNames), value, { maxKeys: 8 }),
  value,
  fc.string().map((text) => ({ raw: text })),
);

describe('random bodies on every write endpoint', () => {
  let served: TestApp;
  let writer: Client;

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    const admin = client(served.baseUrl, adminKey);
    writer = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'fuzzer', role: 'admin' })).body.key);
    await writer.post('/v1/parties', { id: 'RUS', name: 'Russia', kind: 'state' });
    await writer.post('/v1/parties', { id: 'NATO', name: 'NATO', kind: 'organization' });
  });

  afterAll(() => served.close());

  it('never answers 5xx, and always answers problem+json when it refuses', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints), body, fc.option(fc.string({ maxLength: 30 })), async (path, sent, ifMatch) => {
        const payload = typeof sent === 'object' && sent !== null && 'raw' in sent ? String(sent.raw) : sent;
        const response = await writer.post(path, payload, {
          'content-type': 'application/json',
          ...(ifMatch === null ? {} : { 'if-match': ifMatch.replace(/[^\x20-\x7e]/g, '') }),
        });
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }),
      { numRuns: 400 },
    );
  });
});
