// The machine's limits, measured the same run: Kafka's own perf tools, and a raw Postgres COPY.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { ensureTopics } from '#event-log';
import { projections, schemaOf } from '#read-models';
import { withAdmin } from './infra.js';
import { root, runTool } from './processes.js';

const kafkaJars = join(root, 'infra', 'kafka', 'target', 'jars', '*');

function kafkaTool(tool: string, args: string[], timeoutMs: number) {
  return runTool('java', ['-Xmx512m', `-Dlog4j2.configurationFile=${join(root, 'infra', 'kafka', 'log4j2.properties')}`,
    '-cp', kafkaJars, `org.apache.kafka.tools.${tool}`, ...args], timeoutMs);
}

export type ProducerCeiling = { recordsPerSec: number; mbPerSec: number; records: number; recordBytes: number; partitions: number };

/** ProducerPerformance, unthrottled, acks=all (as the relay sends), into a scratch topic shaped like the events topic. */
export async function kafkaProducerCeiling(brokers: string[], topic: string, partitions: number, records: number, recordBytes: number): Promise<ProducerCeiling> {
  await withAdmin(brokers, (admin) => ensureTopics(admin, [{ topic, numPartitions: partitions, configs: {} }]));
  const run = await kafkaTool('ProducerPerformance', [
    '--topic', topic, '--num-records', String(records), '--record-size', String(recordBytes), '--throughput', '-1',
    '--producer-props', `bootstrap.servers=${brokers.join(',')}`, 'acks=all',
  ], 600_000);
  // "100000 records sent, 45248.87 records/sec (43.15 MB/sec), …" is its last line.
  const summary = /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/.exec(run.stdout.trim().split('\n').at(-1) ?? '');
  if (run.code !== 0 || !summary) throw new Error(`ProducerPerformance failed (${run.code}):\n${run.stdout.slice(-2000)}${run.stderr.slice(-2000)}`);
  return { recordsPerSec: Math.round(Number(summary[2])), mbPerSec: Number(summary[3]), records: Number(summary[1]), recordBytes, partitions };
}

export type ConsumerCeiling = { recordsPerSec: number; fetchRecordsPerSec: number; records: number; mbPerSec: number };

/** ConsumerPerformance: one new group reading the whole topic once. */
export async function kafkaConsumerCeiling(brokers: string[], topic: string, records: number, group: string): Promise<ConsumerCeiling> {
  const run = await kafkaTool('ConsumerPerformance', [
    '--bootstrap-server', brokers.join(','), '--topic', topic, '--messages', String(records), '--group', group, '--timeout', '60000',
  ], 600_000);
  // Header "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms,
  // fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec", then one line of values.
  const lines = run.stdout.trim().split('\n');
  const header = lines.findIndex((line) => line.includes('nMsg.sec'));
  const names = lines[header]?.split(',').map((name) => name.trim()) ?? [];
  const values = lines[header + 1]?.split(',').map((value) => value.trim()) ?? [];
  const field = (name: string) => Number(values[names.indexOf(name)]);
  if (run.code !== 0 || header === -1 || Number.isNaN(field('nMsg.sec'))) {
    throw new Error(`ConsumerPerformance failed (${run.code}):\n${run.stdout.slice(-2000)}${run.stderr.slice(-2000)}`);
  }
  return {
    recordsPerSec: Math.round(field('nMsg.sec')),
    fetchRecordsPerSec: Math.round(field('fetch.nMsg.sec')),
    records: field('data.consumed.in.nMsg'),
    mbPerSec: field('MB.sec'),
  };
}

export type CopyCeiling = { rowsPerSec: number; rows: number; seconds: number };

/** Runs psql's commands in one session (pg has no COPY FROM STDIN of its own; psql's \copy sends a file). */
async function psql(databaseUrl: string, what: string, commands: string[]) {
  const run = await runTool('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', ...commands.flatMap((command) => ['-c', command])], 600_000);
  if (run.code !== 0) throw new Error(`psql could not ${what}: ${run.stderr}`);
  return run;
}

/** The row count of each `COPY n` psql printed, in order. */
function copiedRows(stdout: string): number[] {
  return [...stdout.matchAll(/COPY (\d+)/g)].map((match) => Number(match[1]));
}

/** A directory of its own for the exported rows, removed afterwards. */
async function withExportDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-bench-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * COPY of the journal's own rows (exported first, untimed) into a scratch table with the journal's
 * columns, constraints and indexes: what Postgres alone can take of the same data.
 */
export function pgCopyCeiling(databaseUrl: string, pool: pg.Pool): Promise<CopyCeiling> {
  return withExportDir(async (dir) => {
    const file = join(dir, 'journal.copy');
    await psql(databaseUrl, 'export the journal', [`\\copy (SELECT * FROM journal ORDER BY global_position) TO '${file}'`]);
    await pool.query('DROP TABLE IF EXISTS bench_copy_ceiling');
    await pool.query('CREATE TABLE bench_copy_ceiling (LIKE journal INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)');
    const copied = await psql(databaseUrl, "load the journal's rows", [`\\copy bench_copy_ceiling FROM '${file}'`]);
    const [rows = 0] = copiedRows(copied.stdout);
    await pool.query('DROP TABLE bench_copy_ceiling');
    const seconds = copied.ms / 1000;
    return { rowsPerSec: Math.round(rows / seconds), rows, seconds: Math.round(seconds * 100) / 100 };
  });
}

/** One way of loading the read models' rows: its seconds, and the events a second that makes. */
export type ReadModelLoad = { seconds: number; eventsPerSec: number; rowsPerSec: number };

export type ReadModelCopyCeiling = {
  /** The faster of the two loads: no rebuild into these tables can be faster. */
  eventsPerSec: number;
  /** The events the read models hold. */
  events: number;
  rows: number;
  rowsPerEvent: number;
  /** COPY into tables with their indexes, as a rebuild writes. */
  intoIndexedTables: ReadModelLoad;
  /** COPY into bare tables, then their indexes built (keys and constraints included). */
  indexesAfter: ReadModelLoad;
  /** Rows by table, in the live generation's schema. */
  tables: Record<string, number>;
  /** The rebuild's own bookkeeping (each generation's applied version of each stream), not in the COPY. */
  streamVersionRows: number;
};

const scratchSchema = 'bench_copy_read_models';

/**
 * The fastest Postgres takes the rows the read models hold for `events` events, whatever writes them:
 * exported first (untimed), then loaded into scratch tables, one table after the other in one psql
 * session, twice: with each table's indexes and constraints in place, and into bare tables whose
 * indexes are built after the load.
 */
export async function pgCopyReadModelsCeiling(databaseUrl: string, pool: pg.Pool, events: number): Promise<ReadModelCopyCeiling> {
  const { rows: live } = await pool.query<{ projection: string; version: number }>('SELECT projection, version FROM projection_status WHERE is_live');
  const sources = projections.flatMap((projection) => {
    const generation = live.find((row) => row.projection === projection.name);
    return generation ? projection.tables.map((table) => `${schemaOf(projection, generation.version)}.${table}`) : [];
  });
  const scratch = (source: string) => `${scratchSchema}.${source.replace('.', '__')}`;
  const load = (seconds: number, rows: number): ReadModelLoad => ({
    seconds: Math.round(seconds * 100) / 100, eventsPerSec: Math.round(events / seconds), rowsPerSec: Math.round(rows / seconds),
  });
  const freshScratch = async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${scratchSchema} CASCADE`);
    await pool.query(`CREATE SCHEMA ${scratchSchema}`);
  };
  try {
    return await withExportDir(async (dir) => {
      const fileOf = (source: string) => join(dir, `${source}.copy`);
      await psql(databaseUrl, 'export the read models', sources.map((source) => `\\copy ${source} TO '${fileOf(source)}'`));
      const copyAll = sources.map((source) => `\\copy ${scratch(source)} FROM '${fileOf(source)}'`);

      await freshScratch();
      for (const source of sources) await pool.query(`CREATE TABLE ${scratch(source)} (LIKE ${source} INCLUDING ALL)`);
      const indexed = await psql(databaseUrl, 'load the indexed tables', copyAll);
      const counts = copiedRows(indexed.stdout);
      const rows = counts.reduce((sum, count) => sum + count, 0);

      // Bare tables (columns and NOT NULL), then each index of the source, its primary key's included.
      await freshScratch();
      for (const source of sources) await pool.query(`CREATE TABLE ${scratch(source)} (LIKE ${source})`);
      const { rows: indexes } = await pool.query<{ source: string; definition: string }>(
        `SELECT format('%s.%s', n.nspname, t.relname) AS source, pg_get_indexdef(i.indexrelid) AS definition
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE format('%s.%s', n.nspname, t.relname) = ANY($1::text[])`, [sources]);
      const builds = indexes.map(({ source, definition }) => definition.replace(` ON ${source} `, ` ON ${scratch(source)} `));
      if (builds.some((build, index) => build === indexes[index]!.definition)) throw new Error('an index definition did not name its table as expected');
      const bare = await psql(databaseUrl, 'load the bare tables and index them', [...copyAll, ...builds]);

      const { rows: streams } = await pool.query<{ count: string }>(
        `SELECT count(*) FROM projection_streams s JOIN projection_status l ON l.projection = s.projection AND l.version = s.version AND l.is_live`);
      const intoIndexedTables = load(indexed.ms / 1000, rows);
      const indexesAfter = load(bare.ms / 1000, rows);
      return {
        eventsPerSec: Math.max(intoIndexedTables.eventsPerSec, indexesAfter.eventsPerSec), events, rows,
        rowsPerEvent: Math.round((rows / events) * 100) / 100, intoIndexedTables, indexesAfter,
        tables: Object.fromEntries(sources.map((source, index) => [source, counts[index] ?? 0])),
        streamVersionRows: Number(streams[0]!.count),
      };
    });
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${scratchSchema} CASCADE`).catch(() => {});
  }
}
