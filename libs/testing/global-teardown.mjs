// Drops this run's template database (see global-setup.mjs).
import pg from 'pg';

export default async function globalTeardown() {
  const template = process.env.CHANCERY_TEST_TEMPLATE;
  if (!template || !globalThis.chanceryTemplateReady) return;
  globalThis.chanceryTemplateReady = false;
  const url = new URL(process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432');
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(template)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
