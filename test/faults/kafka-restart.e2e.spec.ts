// The broker stops while commands flow: commands are still accepted (the journal holds them), and
// once the broker is back every one of them reaches Kafka and the read models.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { client, type Client, type OwnBroker, ownBroker, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'kafka-restart-admin-key-0000';
const provenance = { occurredAt: '2022-01-12', sources: [{ citation: 'IRNA quoting Reuters' }] };

describe('Kafka broker stopped and restarted while commands flow', () => {
  let broker: OwnBroker;
  let served: TestApp;
  let admin: Client;
  let db: pg.Pool;

  beforeAll(async () => {
    broker = ownBroker(19_392);
    broker.up();
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey, KAFKA_BROKERS: broker.brokers });
    admin = client(served.baseUrl, adminKey);
    db = new pg.Pool({ connectionString: served.database.url });
    await admin.post('/v1/parties', { id: 'NATO', name: 'NATO', kind: 'organization' });
    await admin.post('/v1/issues', { id: 'nato-open-door', title: 'NATO open door' });
  }, 120_000);

  afterAll(async () => {
    await db.end();
    await served.close();
    broker.down();
  });

  const state = (index: number) => admin.post('/v1/statements', {
    by: 'NATO', issue: 'nato-open-door', stance: 'supports', summary: `statement ${index}`, ...provenance,
  });

  it('accepts every command while the broker is down and delivers all of them after', async () => {
    const accepted: string[] = [];
    for (let index = 0; index < 20; index++) accepted.push((await state(index)).body.eventIds[0]);

    broker.down();
    for (let index = 20; index < 60; index++) {
      const response = await state(index);
      expect(response.status).toBe(201);
      accepted.push(response.body.eventIds[0]);
    }
    const { rows: waiting } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
    expect(waiting[0]!.n).toBeGreaterThan(0);
    const health = await client(served.baseUrl).get('/health/ready');
    expect(health.status).toBe(503);

    broker.up();
    const last = await state(60);
    accepted.push(last.body.eventIds[0]);
    // Everything the journal accepted reaches Kafka once the broker is back.
    const deadline = Date.now() + 150_000;
    for (;;) {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM journal j
        WHERE NOT EXISTS (SELECT FROM journal_publications p WHERE p.global_position = j.global_position)`);
      if (rows[0]!.n === 0) break;
      if (Date.now() > deadline) throw new Error(`${rows[0]!.n} journal events did not reach Kafka after the broker came back`);
      await sleep(250);
    }
    const { rows } = await db.query<{ event_id: string }>("SELECT event_id FROM journal WHERE event_type = 'PositionStated'");
    expect(rows.map((row) => row.event_id).sort()).toEqual([...accepted].sort());

    // And the read models catch up with all of it.
    for (;;) {
      const timeline = await admin.get('/v1/timeline?party=NATO&limit=500', { 'x-consistency-token': last.body.consistencyToken });
      if (timeline.status === 200) {
        expect(timeline.body.items.map((item: { eventId: string }) => item.eventId).sort()).toEqual([...accepted].sort());
        break;
      }
      expect(timeline.status).toBe(504);
      if (Date.now() > deadline) throw new Error('the read models did not catch up after the broker came back');
      await sleep(500);
    }
  }, 240_000);
});
