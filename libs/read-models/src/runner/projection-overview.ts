// Where each projection generation, and the alerter, stands: lag per partition (in events, and as
// the age of the oldest event it has not applied), progress of a rebuild. Read by GET /v1/projections
// and /metrics.
import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { generationGroup, liveProjectionsGroup } from './consumer-groups.js';

export type PartitionLag = { partition: number; events: number; oldestUnprocessedAgeSeconds: number | null };

export type ProjectionOverview = {
  name: string;
  /** `read-model`: a projection dashboards read; `alerter`: the rules over the same topic, which feed no views. */
  kind: 'read-model' | 'alerter';
  version: number;
  codeVersion: number;
  status: string;
  live: boolean;
  /** The Kafka consumer group that reads the topic for it (a label of `chancery_consumer_lag_events`). */
  consumerGroup: string;
  lag: { events: number; seconds: number | null; partitions: PartitionLag[] };
  lastEventAt: string | null;
  eventsApplied: number;
  failures: number;
  /** How long the swap that made this generation live held the views (what a dashboard could have waited). */
  swapMs: number | null;
  /** While rebuilding: how far through the topic, how fast, and the estimated time left. */
  progress: { done: number; total: number; eventsPerSecond: number; etaSeconds: number | null } | null;
};

type StatusRow = {
  projection: string; kind: 'read-model' | 'alerter'; version: number; code_version: number; status: string; is_live: boolean;
  last_event_at: Date | null; events_applied: string; started_at: Date; failures: number; swap_ms: number | null;
};

/** Attempts at the topic's end offsets while its partitions have no leader yet. */
const endOffsetAttempts = 5;

async function topicEnds(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const offsets = await admin.fetchTopicOffsets(topic);
        return new Map(offsets.map((offset) => [offset.partition, BigInt(offset.high)]));
      } catch (error) {
        // A topic just created has no leaders for a moment ("not the leader for that
        // topic-partition"), and metadata cached before names none: refreshed, then asked again.
        if (attempt >= endOffsetAttempts || !(error as { retriable?: boolean }).retriable) throw error;
        await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => {});
        await sleep(100 * attempt);
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** Age of the first event at or after this offset, from the journal (which records where each event went). */
async function ageAt(pool: pg.Pool, partition: number, offset: bigint): Promise<number | null> {
  const { rows } = await pool.query<{ age: number }>(
    `SELECT extract(epoch FROM now() - j.recorded_at)::float8 AS age
     FROM journal_publications p JOIN journal j USING (global_position)
     WHERE p.kafka_partition = $1 AND p.kafka_offset >= $2 ORDER BY p.kafka_offset LIMIT 1`, [partition, offset.toString()]);
  return rows[0] ? Math.round(rows[0].age * 10) / 10 : null;
}

/** A live generation reads with the others; a rebuild, and the alerter, each with a group of its own. */
function consumerGroupOf(row: StatusRow, groupPrefix: string): string {
  return row.kind === 'read-model' && row.is_live ? liveProjectionsGroup(groupPrefix) : generationGroup(groupPrefix, row.projection, row.version);
}

export async function projectionOverviews(pool: pg.Pool, kafka: Kafka, topic: string, groupPrefix: string): Promise<ProjectionOverview[]> {
  const ends = await topicEnds(kafka, topic);
  const { rows } = await pool.query<StatusRow>(`
    SELECT s.projection, s.kind, s.version, s.code_version, s.status, s.is_live, s.started_at, s.swap_ms,
      (SELECT count(*)::int FROM projection_failures f WHERE f.projection = s.projection AND f.version = s.version) AS failures,
      (SELECT max(c.last_event_at) FROM projection_checkpoints c WHERE c.projection = s.projection AND c.version = s.version) AS last_event_at,
      (SELECT coalesce(sum(c.events_applied), 0) FROM projection_checkpoints c WHERE c.projection = s.projection AND c.version = s.version) AS events_applied
    FROM projection_status s WHERE s.status <> 'retired' ORDER BY s.kind DESC, s.projection, s.version`);
  const { rows: checkpoints } = await pool.query<{ projection: string; version: number; partition: number; next_offset: string }>(
    'SELECT projection, version, partition, next_offset FROM projection_checkpoints');
  const overviews: ProjectionOverview[] = [];
  for (const row of rows) {
    const partitions: PartitionLag[] = [];
    let done = 0n;
    for (const [partition, end] of ends) {
      const next = BigInt(checkpoints.find((checkpoint) => checkpoint.projection === row.projection
        && checkpoint.version === row.version && checkpoint.partition === partition)?.next_offset ?? '0');
      done += next < end ? next : end;
      const behind = end > next ? end - next : 0n;
      partitions.push({ partition, events: Number(behind), oldestUnprocessedAgeSeconds: behind > 0n ? await ageAt(pool, partition, next) : null });
    }
    const total = [...ends.values()].reduce((sum, end) => sum + end, 0n);
    const ages = partitions.map((partition) => partition.oldestUnprocessedAgeSeconds).filter((age): age is number => age !== null);
    const elapsed = (Date.now() - row.started_at.getTime()) / 1000;
    const rate = elapsed > 0 ? Number(done) / elapsed : 0;
    overviews.push({
      name: row.projection,
      kind: row.kind,
      version: row.version,
      codeVersion: row.code_version,
      status: row.status,
      live: row.is_live,
      consumerGroup: consumerGroupOf(row, groupPrefix),
      lag: { events: partitions.reduce((sum, partition) => sum + partition.events, 0), seconds: ages.length ? Math.max(...ages) : null, partitions },
      lastEventAt: row.last_event_at?.toISOString() ?? null,
      eventsApplied: Number(row.events_applied),
      failures: row.failures,
      swapMs: row.swap_ms === null ? null : Math.round(row.swap_ms * 10) / 10,
      progress: row.status === 'rebuilding'
        ? { done: Number(done), total: Number(total), eventsPerSecond: Math.round(rate), etaSeconds: rate > 0 ? Math.round(Number(total - done) / rate) : null }
        : null,
    });
  }
  return overviews;
}
