import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { QueryRunner } from 'typeorm';
import { cameoOf, type ChanceryEventType } from '#domain';
import { Journal1763900000000, Outbox1764300000000 } from '#journal';
import { createEmptyDatabase, databaseUrl, dropDatabase, migrate } from '#testing';
// One event of every type, as the domain's own tests hold them.
import { exampleEvents } from '../../../domain/src/scenario.js';
import { developmentTypes } from '../alerts/alert-rule.js';
import { Alerts1764100000000 } from './1764100000000-alerts.js';
import { AlerterCameoRoots1764416000000 } from './1764416000000-alerter-cameo-roots.js';
import { migrations } from './index.js';

describe('migrations on a fresh database', () => {
  let name: string;

  beforeAll(async () => {
    name = await createEmptyDatabase();
  });

  afterAll(() => dropDatabase(name));

  it('applies every migration once, then nothing on a second run', async () => {
    const first = await migrate(databaseUrl(name));
    expect(first).toEqual(migrations.map((migration) => migration.name));
    expect(await migrate(databaseUrl(name))).toEqual([]);

    const client = new pg.Client({ connectionString: databaseUrl(name) });
    await client.connect();
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
    await client.end();
    expect(rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['api_keys', 'idempotency_keys', 'journal', 'migrations', 'projection_checkpoints', 'projection_failures', 'projection_status', 'projection_streams']));
  });
});

/** A database with no migration run, and a client to run single migrations on it as TypeORM would. */
async function unmigratedDatabase(): Promise<{ client: pg.Client; runner: QueryRunner; drop: () => Promise<void> }> {
  const name = await createEmptyDatabase();
  const client = new pg.Client({ connectionString: databaseUrl(name) });
  await client.connect();
  const runner = { query: (sql: string) => client.query(sql) } as unknown as QueryRunner;
  return { client, runner, drop: async () => {
    await client.end();
    await dropDatabase(name);
  } };
}

describe('the outbox migration on a journal that held its own outbox', () => {
  let client: pg.Client;
  let runner: QueryRunner;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ client, runner, drop } = await unmigratedDatabase());
    await new Journal1763900000000().up(runner);
    // Two events the relay had marked, one it had not.
    await client.query(`
      INSERT INTO journal (event_id, stream_id, stream_version, event_type, schema_version, occurred_at, recorded_at, recorded_by,
        correlation_id, sources, data, published_at, kafka_partition, kafka_offset)
      VALUES (gen_random_uuid(), 'party-NATO', 1, 'PartyRegistered', 1, '2022-01-10', now(), 'test', 'c', '[]', '{}', now(), 4, 0),
             (gen_random_uuid(), 'party-NATO', 2, 'PositionStated', 1, '2022-01-10', now(), 'test', 'c', '[]', '{}', now(), 4, 1),
             (gen_random_uuid(), 'party-RUS', 1, 'PartyRegistered', 1, '2022-01-10', now(), 'test', 'c', '[]', '{}', NULL, NULL, NULL)`);
  });

  afterAll(() => drop());

  const published = async () => (await client.query(
    'SELECT global_position::int, kafka_partition, kafka_offset::int FROM journal_publications ORDER BY global_position')).rows;

  it('moves what was unpublished to the outbox and where the rest went to journal_publications; down puts it back', async () => {
    await new Outbox1764300000000().up(runner);
    expect((await client.query('SELECT global_position::int FROM outbox')).rows).toEqual([{ global_position: 3 }]);
    expect(await published()).toEqual([
      { global_position: 1, kafka_partition: 4, kafka_offset: 0 },
      { global_position: 2, kafka_partition: 4, kafka_offset: 1 },
    ]);
    const { rows: columns } = await client.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'journal'");
    expect(columns.map((column) => column.column_name)).not.toContain('published_at');

    await new Outbox1764300000000().down(runner);
    const { rows } = await client.query(
      'SELECT global_position::int, published_at IS NOT NULL AS published, kafka_partition, kafka_offset::int FROM journal ORDER BY global_position');
    expect(rows).toEqual([
      { global_position: 1, published: true, kafka_partition: 4, kafka_offset: 0 },
      { global_position: 2, published: true, kafka_partition: 4, kafka_offset: 1 },
      { global_position: 3, published: false, kafka_partition: null, kafka_offset: null },
    ]);
  });
});

describe('the alerter migration that keeps each development\'s CAMEO root', () => {
  let client: pg.Client;
  let runner: QueryRunner;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ client, runner, drop } = await unmigratedDatabase());
    await new Alerts1764100000000().up(runner);
  });

  afterAll(() => drop());

  it('gives the developments the alerter already kept the root their type always had', async () => {
    const types = developmentTypes.filter((type) => type !== 'CodedDevelopmentRecorded');
    for (const [index, type] of types.entries()) {
      await client.query(
        `INSERT INTO alerter_developments (event_id, stream_id, global_position, type, occurred_at, occurred_ts, day, recorded_at, parties, issues, summary)
         VALUES (gen_random_uuid(), $1, $2, $3, '2022-01-12', '2022-01-12', '2022-01-12', now(), '{}', '{}', 's')`, [`s-${index}`, index + 1, type]);
    }
    await new AlerterCameoRoots1764416000000().up(runner);
    const { rows } = await client.query<{ type: ChanceryEventType; cameo_root: string | null }>('SELECT type, cameo_root FROM alerter_developments ORDER BY global_position');
    expect(rows).toEqual(types.map((type) => ({ type, cameo_root: cameoOf(exampleEvents[type])?.root ?? null })));
  });
});
