// The stack starts while the broker is still down (or starting): commands are accepted meanwhile,
// and once the broker is up every projection and the alerter start and catch up, with no restart.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { client, type Client, type OwnBroker, ownBroker, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'kafka-late-admin-key-00000000';
const provenance = { occurredAt: '2022-01-12', sources: [{ citation: 'IRNA quoting Reuters' }] };

describe('Kafka broker started after the stack', () => {
  let broker: OwnBroker;
  let served: TestApp;
  let admin: Client;

  beforeAll(async () => {
    broker = ownBroker(19_394);
    broker.down();
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey, KAFKA_BROKERS: broker.brokers });
    admin = client(served.baseUrl, adminKey);
  }, 120_000);

  afterAll(async () => {
    await served.close();
    broker.down();
  });

  it('accepts commands before the broker is up and projects them once it is', async () => {
    expect((await admin.post('/v1/parties', { id: 'NATO', name: 'NATO', kind: 'organization' })).status).toBe(201);
    expect((await admin.post('/v1/issues', { id: 'nato-open-door', title: 'NATO open door' })).status).toBe(201);
    const stated = await admin.post('/v1/statements', {
      by: 'NATO', issue: 'nato-open-door', stance: 'supports', summary: 'NATO keeps its door open', ...provenance,
    });
    expect(stated.status).toBe(201);

    broker.up();
    const deadline = Date.now() + 150_000;
    for (;;) {
      const positions = await admin.get('/v1/parties/NATO/positions', { 'x-consistency-token': stated.body.consistencyToken });
      if (positions.status === 200) {
        expect(positions.body.positions).toEqual([expect.objectContaining({ issue: 'nato-open-door', stance: 'supports' })]);
        break;
      }
      expect(positions.status).toBe(504);
      if (Date.now() > deadline) throw new Error('the read models did not start after the broker came up');
      await sleep(500);
    }
    // Every projection and the alerter consume: none gave up while the broker was away.
    const overview = await admin.get('/v1/projections');
    expect(overview.status).toBe(200);
    expect(overview.body.map((projection: { status: string }) => projection.status)).not.toContain('failed');
  }, 240_000);
});
