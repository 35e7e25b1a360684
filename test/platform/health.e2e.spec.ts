import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'health-admin-key-0000000000';

type HealthBody = { status: string; info: Record<string, { status: string }>; error: Record<string, { status: string }> };

describe('health of the one-process server', () => {
  describe('with Postgres and Kafka up', () => {
    let served: TestApp;
    beforeAll(async () => {
      served = await startTestApp(standaloneModule);
    });
    afterAll(() => served.close());

    it('is live', async () => {
      const response = await fetch(`${served.baseUrl}/health/live`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    });

    it('is ready, naming both dependencies as up', async () => {
      const response = await fetch(`${served.baseUrl}/health/ready`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as HealthBody;
      expect(body.status).toBe('ok');
      expect(body.info.postgres.status).toBe('up');
      expect(body.info.kafka.status).toBe('up');
    });
  });

  describe('with a wrong broker address', () => {
    let served: TestApp;
    beforeAll(async () => {
      // Nothing listens on port 1: the broker is unreachable, Postgres is fine.
      served = await startTestApp(standaloneModule, { KAFKA_BROKERS: '127.0.0.1:1', CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    });
    afterAll(() => served.close());

    it('still starts and is live, but not ready, and says Kafka is the reason', async () => {
      expect((await fetch(`${served.baseUrl}/health/live`)).status).toBe(200);
      const response = await fetch(`${served.baseUrl}/health/ready`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as HealthBody;
      expect(body.status).toBe('error');
      expect(body.error.kafka.status).toBe('down');
      expect(body.info.postgres.status).toBe('up');
    });

    // The Kafka client's error used to reach the problem filter as an unexpected one: a 500.
    it('answers GET /v1/projections with a 503 naming Kafka, not a 500: the lag is measured against the topic', async () => {
      const response = await fetch(`${served.baseUrl}/v1/projections`, { headers: { authorization: `Bearer ${adminKey}` } });
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ status: 503, type: '/problems/kafka-unavailable' });
    }, 90_000);
  });
});
