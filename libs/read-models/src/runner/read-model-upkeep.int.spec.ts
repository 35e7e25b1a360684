// Read-model tables filled faster than autovacuum follows are vacuumed and analyzed by the
// projector, so dashboards' queries are planned on what the tables hold.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, type TestDatabase } from '#testing';
import { tendReadModels } from './read-model-upkeep.js';

describe('read-model upkeep', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url });
    // Autovacuum must not get there first: the point is what happens when it lags behind.
    await pool.query(`CREATE SCHEMA projection_sample_v1;
      CREATE TABLE projection_sample_v1.sample (id int PRIMARY KEY, tags text[] NOT NULL) WITH (autovacuum_enabled = false);
      CREATE TABLE projection_sample_v1.quiet (id int PRIMARY KEY) WITH (autovacuum_enabled = false);
      CREATE SCHEMA projection_sample_v2;
      CREATE TABLE projection_sample_v2.sample (id int PRIMARY KEY) WITH (autovacuum_enabled = false)`);
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  const changedSinceAnalyze = async (schema: string, table: string) => {
    const { rows } = await pool.query<{ changed: string; analyzed: boolean }>(
      `SELECT n_mod_since_analyze AS changed, last_analyze IS NOT NULL AS analyzed FROM pg_stat_user_tables
       WHERE schemaname = $1 AND relname = $2`, [schema, table]);
    return { changed: Number(rows[0]?.changed ?? 0), analyzed: rows[0]?.analyzed ?? false };
  };

  it('vacuums and analyzes the running generations\' tables that changed much, and only those', async () => {
    await pool.query(`INSERT INTO projection_sample_v1.sample SELECT g, ARRAY['P' || g % 100] FROM generate_series(1, 30000) g`);
    await pool.query('INSERT INTO projection_sample_v1.quiet SELECT generate_series(1, 10)');
    await pool.query('INSERT INTO projection_sample_v2.sample SELECT generate_series(1, 30000)');
    // Statistics reach the cumulative views within a second or so of the commit.
    for (let tries = 0; (await changedSinceAnalyze('projection_sample_v1', 'sample')).changed < 30_000 && tries < 50; tries++) await sleep(100);

    const tended = await tendReadModels(pool, [{ projection: 'sample', version: 1 }]);

    expect(tended).toContain('projection_sample_v1.sample');
    expect(tended).not.toContain('projection_sample_v1.quiet');
    expect(tended).not.toContain('projection_sample_v2.sample');
    expect(await changedSinceAnalyze('projection_sample_v1', 'sample')).toEqual({ changed: 0, analyzed: true });
    expect((await changedSinceAnalyze('projection_sample_v2', 'sample')).analyzed).toBe(false);
    // Tended, nothing is left to do until the table changes much again.
    expect(await tendReadModels(pool, [{ projection: 'sample', version: 1 }])).not.toContain('projection_sample_v1.sample');
  });
});
