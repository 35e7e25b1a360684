// The work of `chancery export`: the journal's events as NDJSON, one envelope (DESIGN §8, the same
// JSON as GET /v1/events and the Kafka record value) a line, in global position order. Read through
// a server-side cursor in one REPEATABLE READ snapshot: memory stays flat and the file is consistent
// however many events are appended meanwhile.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { z } from 'zod';
import { chanceryEventTypes } from '#domain';
import { envelopeColumns, envelopeOf } from '#journal';
import { progress } from '../verify/progress.js';

export type ExportFilter = {
  streams: string[];
  types: string[];
  /** Valid time (`occurredAt`), inclusive; a date means its midnight UTC, as in the API's `from`/`to`. */
  from?: string;
  to?: string;
  /** Only events after this global position: the last line of a previous export resumes from here. */
  after?: string;
};

export type ExportOptions = ExportFilter & { databaseUrl: string; out?: string; showProgress: boolean };

const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
const batchSize = 1_000;

export class ExportUsageError extends Error {}

/** Checks the filter and turns it into a WHERE clause over the journal. */
export function exportQuery(filter: ExportFilter): { where: string; params: unknown[] } {
  const unknownTypes = filter.types.filter((type) => !(chanceryEventTypes as readonly string[]).includes(type));
  if (unknownTypes.length > 0) {
    throw new ExportUsageError(`unknown event type ${unknownTypes.join(', ')}; the types are ${chanceryEventTypes.join(', ')}`);
  }
  const conditions: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (filter.streams.length > 0) conditions.push(`stream_id = ANY(${param(filter.streams)}::text[])`);
  if (filter.types.length > 0) conditions.push(`event_type = ANY(${param(filter.types)}::text[])`);
  for (const [name, value, operator] of [['--from', filter.from, '>='], ['--to', filter.to, '<=']] as const) {
    if (value === undefined) continue;
    if (!instant.safeParse(value).success) throw new ExportUsageError(`${name} ${value}: expected a date (2022-01-12) or a timestamp with an offset (2022-01-12T10:00:00Z)`);
    // occurred_at holds a date or a timestamp as recorded; the session runs in UTC, so a date reads as its midnight UTC.
    conditions.push(`occurred_at::timestamptz ${operator} ${param(new Date(value).toISOString())}::timestamptz`);
  }
  if (filter.after !== undefined) {
    if (!/^\d{1,18}$/.test(filter.after)) throw new ExportUsageError(`--after ${filter.after}: expected a global position (a whole number ≥ 0)`);
    conditions.push(`global_position > ${param(filter.after)}::bigint`);
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/**
 * Writes the matching envelopes to `output`, waiting whenever it is full; returns how many.
 * `end` closes the output afterwards (a file; never stdout).
 */
export async function exportEvents(client: pg.ClientBase, filter: ExportFilter, output: Writable, options: { showProgress: boolean; end: boolean }): Promise<number> {
  const { where, params } = exportQuery(filter);
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    await client.query("SET LOCAL TIME ZONE 'UTC'");
    await client.query(`DECLARE chancery_export NO SCROLL CURSOR FOR
      SELECT ${envelopeColumns} FROM journal ${where} ORDER BY global_position`, params);
    const shown = options.showProgress ? progress('export', undefined) : undefined;
    let exported = 0;
    await pipeline(async function* lines() {
      for (;;) {
        const { rows } = await client.query(`FETCH ${batchSize} FROM chancery_export`);
        if (rows.length === 0) return;
        exported += rows.length;
        shown?.add(rows.length);
        yield rows.map((row) => `${JSON.stringify(envelopeOf(row))}\n`).join('');
      }
    }, output, { end: options.end });
    shown?.done();
    await client.query('COMMIT');
    return exported;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/**
 * To a file, the export is written beside it and renamed into place only when complete, so a
 * failed export never leaves a file that looks whole.
 */
export async function runExport(options: ExportOptions): Promise<number> {
  exportQuery(options); // a usage error before any connection or file
  const client = new pg.Client({ connectionString: options.databaseUrl, application_name: 'chancery-export' });
  await client.connect();
  try {
    if (!options.out) return await exportEvents(client, options, process.stdout, { showProgress: options.showProgress, end: false });
    const partial = `${options.out}.partial`;
    try {
      const exported = await exportEvents(client, options, createWriteStream(partial), { showProgress: options.showProgress, end: true });
      await rename(partial, options.out);
      return exported;
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  } finally {
    await client.end().catch(() => {});
  }
}
