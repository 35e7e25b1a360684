// The machine's limits, measured the same run: Kafka's own perf tools, and a raw Postgres COPY.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { ensureTopics } from '#event-log';
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
