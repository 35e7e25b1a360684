// Test databases: each test file gets its own copy of a migrated template, so files run in
// parallel without seeing each other's rows. Refuses any database whose name does not say "test".
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { migrations } from '#read-models';

export const testServerUrl = process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';
// Migrated once per run by global-setup.mjs.
export const templateDatabase = process.env.CHANCERY_TEST_TEMPLATE ?? 'chancery_test_template';

export function assertTestDatabase(databaseUrl: string): void {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (!/test/i.test(name)) {
    throw new Error(`refusing to run tests against database "${name}": its name must contain "test"`);
  }
}

export function databaseUrl(name: string): string {
  const url = new URL(testServerUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs every migration on `databaseUrl` (created empty if missing); returns the applied names. */
export async function migrate(url: string): Promise<string[]> {
  assertTestDatabase(url);
  const dataSource = new DataSource({ type: 'postgres', url, migrations, migrationsTransactionMode: 'each' });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations();
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}

export async function dropDatabase(name: string): Promise<void> {
  assertTestDatabase(databaseUrl(name));
  await withServer(async (client) => {
    // Connections still closing (a pool that has just ended) get a moment to go: forced out
    // mid-close, their clients emit an error nobody listens to any more, and it fails whichever
    // test is running at that moment in the same worker.
    for (let waited = 0; waited < 1_000; waited += 50) {
      const { rows } = await client.query<{ open: number }>('SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = $1', [name]);
      if (rows[0]!.open === 0) break;
      await sleep(50);
    }
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  });
}

export async function createEmptyDatabase(prefix = 'chancery_test'): Promise<string> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  assertTestDatabase(databaseUrl(name));
  await withServer((client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  return name;
}

export type TestDatabase = { name: string; url: string; drop: () => Promise<void> };

/** A fresh, migrated database of its own for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `chancery_test_${randomBytes(5).toString('hex')}`;
  await withServer((client) =>
    client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(templateDatabase)}`));
  const url = databaseUrl(name);
  return { name, url, drop: () => dropDatabase(name) };
}
