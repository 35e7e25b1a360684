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

/**
 * COPY of the journal's own rows (exported first, untimed) into a scratch table with the journal's
 * columns, constraints and indexes: what Postgres alone can take of the same data. pg has no COPY
 * FROM STDIN of its own, so psql's \copy sends the file.
 */
export async function pgCopyCeiling(databaseUrl: string, pool: pg.Pool): Promise<CopyCeiling> {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-bench-'));
  const file = join(dir, 'journal.copy');
  try {
    const exported = await runTool('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy (SELECT * FROM journal ORDER BY global_position) TO '${file}'`], 600_000);
    if (exported.code !== 0) throw new Error(`psql could not export the journal: ${exported.stderr}`);
    await pool.query('DROP TABLE IF EXISTS bench_copy_ceiling');
    await pool.query('CREATE TABLE bench_copy_ceiling (LIKE journal INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)');
    const copied = await runTool('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy bench_copy_ceiling FROM '${file}'`], 600_000);
    if (copied.code !== 0) throw new Error(`psql \\copy failed: ${copied.stderr}`);
    const rows = Number(/COPY (\d+)/.exec(copied.stdout)?.[1]);
    await pool.query('DROP TABLE bench_copy_ceiling');
    const seconds = copied.ms / 1000;
    return { rowsPerSec: Math.round(rows / seconds), rows, seconds: Math.round(seconds * 100) / 100 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type ReadModelCopyCeiling = {
  /** The events the read models hold, over the seconds COPY took for their rows: no rebuild into these tables is faster. */
  eventsPerSec: number;
  events: number;
  rowsPerSec: number;
  rows: number;
  rowsPerEvent: number;
  seconds: number;
  /** Rows by table, in the live generation's schema. */
  tables: Record<string, number>;
  /** The rebuild's own bookkeeping (each generation's applied version of each stream), not in the COPY. */
  streamVersionRows: number;
};

/**
 * COPY of the rows the read models hold for `events` events (exported first, untimed) into scratch
 * tables with each table's columns, constraints and indexes, one table after the other in one psql
 * session: what Postgres alone takes of the same rows, so the fastest any rebuild into these tables
 * can be.
 */
export async function pgCopyReadModelsCeiling(databaseUrl: string, pool: pg.Pool, events: number): Promise<ReadModelCopyCeiling> {
  const { rows: live } = await pool.query<{ projection: string; version: number }>('SELECT projection, version FROM projection_status WHERE is_live');
  const sources = projections.flatMap((projection) => {
    const generation = live.find((row) => row.projection === projection.name);
    return generation ? projection.tables.map((table) => `${schemaOf(projection, generation.version)}.${table}`) : [];
  });
  const scratch = (source: string) => `bench_copy_read_models.${source.replace('.', '__')}`;
  const dir = mkdtempSync(join(tmpdir(), 'chancery-bench-'));
  const fileOf = (source: string) => join(dir, `${source}.copy`);
  try {
    const exported = await runTool('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1',
      ...sources.flatMap((source) => ['-c', `\\copy ${source} TO '${fileOf(source)}'`])], 600_000);
    if (exported.code !== 0) throw new Error(`psql could not export the read models: ${exported.stderr}`);
    await pool.query('DROP SCHEMA IF EXISTS bench_copy_read_models CASCADE');
    await pool.query('CREATE SCHEMA bench_copy_read_models');
    for (const source of sources) await pool.query(`CREATE TABLE ${scratch(source)} (LIKE ${source} INCLUDING ALL)`);
    const copied = await runTool('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1',
      ...sources.flatMap((source) => ['-c', `\\copy ${scratch(source)} FROM '${fileOf(source)}'`])], 600_000);
    if (copied.code !== 0) throw new Error(`psql \\copy failed: ${copied.stderr}`);
    const counts = [...copied.stdout.matchAll(/COPY (\d+)/g)].map((match) => Number(match[1]));
    const rows = counts.reduce((sum, count) => sum + count, 0);
    const { rows: streams } = await pool.query<{ count: string }>(
      `SELECT count(*) FROM projection_streams s JOIN projection_status l ON l.projection = s.projection AND l.version = s.version AND l.is_live`);
    const seconds = copied.ms / 1000;
    return {
      eventsPerSec: Math.round(events / seconds), events, rowsPerSec: Math.round(rows / seconds), rows,
      rowsPerEvent: Math.round((rows / events) * 100) / 100, seconds: Math.round(seconds * 100) / 100,
      tables: Object.fromEntries(sources.map((source, index) => [source, counts[index] ?? 0])),
      streamVersionRows: Number(streams[0]!.count),
    };
  } finally {
    await pool.query('DROP SCHEMA IF EXISTS bench_copy_read_models CASCADE').catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
