import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createEmptyDatabase, databaseUrl, dropDatabase, migrate } from '#testing';
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
