// Postgres dropping the server's connections (pg_terminate_backend): requests fail cleanly with 503
// while it happens, never 500, and the server recovers by itself.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { client, type Client, startTestApp, type TestApp, waitFor } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'faults-admin-key-0000000000';
const provenance = { occurredAt: '2022-01-12', sources: [{ citation: 'IRNA quoting Reuters' }] };

describe('Postgres connections terminated under load', () => {
  let served: TestApp;
  let admin: Client;
  let db: pg.Pool;

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    admin = client(served.baseUrl, adminKey);
    const party = await admin.post('/v1/parties', { id: 'RUS', name: 'Russia', kind: 'state' });
    const issue = await admin.post('/v1/issues', { id: 'ukraine-nato-membership', title: 'Ukraine and NATO' });
    // Both registrations readable before the faults begin: the reads below then have something to find.
    await admin.get('/v1/parties/RUS', { 'x-consistency-token': party.body.consistencyToken });
    await admin.get('/v1/issues', { 'x-consistency-token': issue.body.consistencyToken });
    db = new pg.Pool({ connectionString: served.database.url, max: 1 });
  });

  afterAll(async () => {
    await db.end();
    await served.close();
  });

  /** Terminates every connection to the test database but this test's own (and `spared`). */
  async function terminateOthers(spared: number[] = []): Promise<number> {
    const { rowCount } = await db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> ALL($1::int[])`, [spared]);
    return rowCount ?? 0;
  }

  const statement = (summary: string) => admin.post('/v1/statements', {
    by: 'RUS', issue: 'ukraine-nato-membership', stance: 'opposes', summary, ...provenance,
  });

  it('answers 503 or succeeds while connections die, never 500, and recovers; every 201 is in the journal', async () => {
    const statuses: number[] = [];
    const recorded: string[] = [];
    for (let round = 0; round < 5; round++) {
      expect(await terminateOthers()).toBeGreaterThan(0);
      const responses = await Promise.all(Array.from({ length: 10 }, (_, index) => statement(`round ${round} statement ${index}`)));
      for (const response of responses) {
        statuses.push(response.status);
        if (response.status === 201) recorded.push(response.body.eventIds[0]);
        else {
          expect(response.status).toBe(503);
          expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          expect(response.headers.get('retry-after')).toBe('1');
        }
      }
      const reads = await Promise.all([admin.get('/v1/timeline'), admin.get('/v1/parties/RUS/positions'), admin.get('/health/ready')]);
      for (const read of reads) expect([200, 503]).toContain(read.status);
    }
    expect(statuses.every((status) => status === 201 || status === 503)).toBe(true);

    // Recovered: the next writes and reads all succeed.
    const after = await statement('after');
    expect(after.status).toBe(201);
    expect((await admin.get('/v1/timeline', { 'x-consistency-token': after.body.consistencyToken })).status).toBe(200);
    const { rows } = await db.query<{ event_id: string }>("SELECT event_id FROM journal WHERE event_type = 'PositionStated'");
    expect(rows.map((row) => row.event_id)).toEqual(expect.arrayContaining(recorded));
    process.stderr.write(`postgres faults: ${statuses.filter((status) => status === 201).length} × 201, ${statuses.filter((status) => status === 503).length} × 503\n`);
  });

  it('answers 503 to the commands whose connection dies under them, and records none of them', async () => {
    // The commands' appends wait on a lock this test holds, so their connections die mid-command.
    const holder = new pg.Client({ connectionString: served.database.url });
    await holder.connect();
    const { rows: [{ pid }] } = await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    let responses: Awaited<ReturnType<typeof statement>>[];
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE journal IN SHARE MODE');
      const pending = Promise.all(Array.from({ length: 5 }, (_, index) => statement(`cut off ${index}`)));
      await waitFor(async () => (await db.query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO journal%'")).rowCount! > 0);
      expect(await terminateOthers([pid])).toBeGreaterThan(0);
      await holder.query('COMMIT');
      responses = await pending;
    } finally {
      await holder.end();
    }

    const cutOff = responses.filter((response) => response.status === 503);
    expect(cutOff.length).toBeGreaterThan(0);
    for (const response of cutOff) {
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('retry-after')).toBe('1');
    }
    expect(responses.every((response) => response.status === 201 || response.status === 503)).toBe(true);
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM journal WHERE data->>'summary' LIKE 'cut off %'");
    expect(rows[0]!.n).toBe(responses.length - cutOff.length);
    expect((await statement('after the cut')).status).toBe(201);
    process.stderr.write(`postgres faults mid-command: ${responses.length - cutOff.length} × 201, ${cutOff.length} × 503\n`);
  });
});
