// What `chancery verify` found, and how it reads in a terminal.
import type pg from 'pg';

export type DifferenceKind =
  | 'missing-from-topic'
  | 'awaiting-relay'
  | 'not-in-journal'
  | 'differing-copy'
  | 'malformed-record'
  | 'out-of-order'
  | 'wrong-position'
  | 'checkpoint-beyond-end'
  | 'stream-ahead-of-journal'
  | 'applied-beyond-checkpoint'
  | 'checkpoint-skipped-events';

export type Difference = { kind: DifferenceKind; title: string; count: number; examples: string[] };

export type ProjectionSummary = { projection: string; version: number; status: string; live: boolean; checkpoints: number; streams: number };

export type VerifyReport = {
  database: string;
  topic: string;
  partitions: number;
  journal: {
    events: number;
    streams: number;
    published: number;
    /** Rows the relay has sent but not marked yet (it crashed, or is between the two steps). */
    sentNotMarked: number;
    /** Rows the relay has not sent yet. */
    awaitingRelay: number;
  };
  log: {
    records: number;
    /** Journal events with at least one identical copy on the topic. */
    events: number;
    /** Identical extra copies: a relay that crashed between produce and mark re-sends its batch. */
    duplicateCopies: number;
    duplicatedEvents: number;
    /** Records published after the journal was read, of events the snapshot does not hold yet: not compared. */
    newerThanSnapshot: number;
    endOffsets: Record<string, string>;
  };
  projections: ProjectionSummary[];
  differences: Difference[];
  /** Differences that do not fail the run (awaiting-relay under --allow-unpublished). */
  notices: Difference[];
  ok: boolean;
};

/**
 * Runs a query that selects `count(*) OVER () AS total` beside its example columns and stops at
 * `LIMIT $1`: one round trip gives the count and the first examples.
 */
export async function difference(
  client: pg.ClientBase,
  kind: DifferenceKind,
  title: string,
  sql: string,
  params: unknown[],
  example: (row: Record<string, unknown>) => string,
): Promise<Difference | undefined> {
  const { rows } = await client.query<Record<string, unknown>>(sql, params);
  if (rows.length === 0) return undefined;
  return { kind, title, count: Number(rows[0]!.total), examples: rows.map(example) };
}

const n = (value: number) => value.toLocaleString('en');

function section(difference: Difference, marker: string): string[] {
  const lines = [`${marker} ${difference.kind}: ${n(difference.count)} ${difference.title}`];
  for (const example of difference.examples) lines.push(`    ${example}`);
  if (difference.count > difference.examples.length) lines.push(`    … and ${n(difference.count - difference.examples.length)} more`);
  return lines;
}

export function formatReport(report: VerifyReport): string {
  const { journal, log } = report;
  const lines = [
    `chancery verify: journal ${report.database} against topic ${report.topic} (${report.partitions} partitions)`,
    '',
    `journal   ${n(journal.events)} events in ${n(journal.streams)} streams: ${n(journal.published)} published, ` +
      `${n(journal.sentNotMarked)} sent but not yet marked, ${n(journal.awaitingRelay)} awaiting the relay`,
    `topic     ${n(log.records)} records up to offsets ${Object.entries(log.endOffsets).map(([partition, end]) => `${partition}:${end}`).join(' ')}; ` +
      `${n(log.events)} journal events on it`,
    `          ${n(log.duplicateCopies)} duplicate copies of ${n(log.duplicatedEvents)} events (identical: the relay re-sends a batch it sent but could not mark)`,
  ];
  if (log.newerThanSnapshot > 0) lines.push(`          ${n(log.newerThanSnapshot)} records of events appended after the journal was read (not compared)`);
  lines.push('', 'projections (checkpoints within their partitions; streams applied no further than the journal, and exactly as far as the checkpoints have passed):');
  if (report.projections.length === 0) lines.push('  none');
  for (const projection of report.projections) {
    lines.push(`  ${projection.projection} v${projection.version} ${projection.live ? 'live' : projection.status}: ` +
      `${n(projection.checkpoints)} partition checkpoints, ${n(projection.streams)} streams applied`);
  }
  lines.push('');
  for (const notice of report.notices) lines.push(...section(notice, '!'));
  if (report.ok) {
    lines.push('OK: the topic holds exactly the journal\'s events, each stream in version order at the partition and offset the journal recorded; every checkpoint is consistent.');
  } else {
    const total = report.differences.reduce((sum, found) => sum + found.count, 0);
    lines.push(`DIFFERENCES: ${n(total)} in ${report.differences.length} kind(s)`);
    for (const found of report.differences) lines.push(...section(found, '✗'));
  }
  return `${lines.join('\n')}\n`;
}
