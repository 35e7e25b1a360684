// Jest global setup for the int and e2e tiers: migrates the template database that each test
// file's own database is copied from. Plain ESM on the compiled migrations: `npm test` builds first.
import pg from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '#read-models';

const serverUrl = process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';
// Unique per test run (chancery-dev sets it), so runs on one server never drop each other's template.
const template = process.env.CHANCERY_TEST_TEMPLATE ?? 'chancery_test_template';

function urlOf(name) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export default async function globalSetup() {
  if (globalThis.chanceryTemplateReady) return;
  const client = new pg.Client({ connectionString: urlOf('postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(template)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(template)}`);
  } finally {
    await client.end();
  }
  const dataSource = new DataSource({ type: 'postgres', url: urlOf(template), migrations, migrationsTransactionMode: 'each' });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
  globalThis.chanceryTemplateReady = true;
}
