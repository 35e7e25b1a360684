// The bench's own database(s) and topics: created fresh, removed at the end. It refuses to touch any
// database whose name does not start with chancery_bench, so it can never hit `chancery` or a test one.
import pg from 'pg';
import { type Admin } from 'kafkajs';
import { createKafka } from '#event-log';

export const serverUrl = process.env.BENCH_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';

export function databaseUrl(name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function assertBenchDatabase(name: string): void {
  if (!/^chancery_bench(_[a-z0-9_]+)?$/.test(name)) throw new Error(`refusing to touch database "${name}": not a chancery_bench database`);
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Any fixed key: the one lock all benches on a Postgres server take (see `claimServer`). */
const benchLockKey = 0x43_48_42_4e; // 'CHBN'

/**
 * Makes this the one bench on the Postgres server until the process exits. Benches share their
 * database names, so a second one would drop the first one's databases under it and spoil both.
 * Returns the session holding the claim, on the server's `postgres` database: server-wide reads
 * (the WAL position) can use it without holding up the drop of the bench's own databases.
 */
export async function claimServer(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  const { rows } = await client.query<{ claimed: boolean }>('SELECT pg_try_advisory_lock($1) AS claimed', [benchLockKey]);
  if (!rows[0]!.claimed) {
    await client.end();
    throw new Error('another bench is running against this Postgres; they would drop each other\'s databases, so wait until it ends');
  }
  // The session keeps the lock; it ends with the process, however that ends.
  client.on('error', () => {});
  return client;
}

export async function recreateDatabase(name: string): Promise<string> {
  assertBenchDatabase(name);
  await onServer(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  });
  return databaseUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  assertBenchDatabase(name);
  await onServer((client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
}

export async function withAdmin<T>(brokers: string[], work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = createKafka(brokers, 'chancery-bench').admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Partition → end offset (the offset the next record would get). */
export async function endOffsets(brokers: string[], topic: string): Promise<Map<number, string>> {
  return withAdmin(brokers, async (admin) => new Map((await admin.fetchTopicOffsets(topic)).map((offset) => [offset.partition, offset.high])));
}

export async function deleteTopics(brokers: string[], prefix: string): Promise<void> {
  await withAdmin(brokers, async (admin) => {
    const ours = (await admin.listTopics()).filter((topic) => topic.startsWith(`${prefix}.`));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours });
  });
}

export async function deleteGroups(brokers: string[], prefix: string): Promise<void> {
  await withAdmin(brokers, async (admin) => {
    const { groups } = await admin.listGroups();
    const ours = groups.map((group) => group.groupId).filter((id) => id.startsWith(prefix));
    if (ours.length > 0) await admin.deleteGroups(ours).catch(() => {});
  });
}
