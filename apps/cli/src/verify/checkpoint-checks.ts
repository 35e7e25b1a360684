// Whether each projection's progress agrees with the topic and the journal. A projection commits, in
// one transaction per batch, its tables, `projection_checkpoints` (next offset per partition) and
// `projection_streams` (last version applied per stream), and skips what they say is done. So:
//   - a checkpoint cannot be past the end of its partition;
//   - a stream cannot be applied beyond the journal's last version of it;
//   - a stream's applied version must sit on the topic below its partition's checkpoint (applied
//     only what the checkpoint has passed), and
//   - every stream version below the checkpoint must be applied (the checkpoint passed nothing it
//     did not apply; an event the projection could not apply is still counted as applied, and set
//     aside in projection_failures).
// Every generation of a read model but retired ones is checked: the live one and a rebuild beside it
// alike (the alerter, listed beside them, is not).
import type pg from 'pg';
import { difference, type Difference, type ProjectionSummary } from './verify-report.js';

const checked = `projection_status s ON s.status <> 'retired' AND s.kind = 'read-model'`;

export async function projectionSummaries(client: pg.ClientBase): Promise<ProjectionSummary[]> {
  const { rows } = await client.query<{ projection: string; version: number; status: string; is_live: boolean; checkpoints: string; streams: string }>(`
    SELECT s.projection, s.version, s.status, s.is_live,
      (SELECT count(*) FROM projection_checkpoints c WHERE c.projection = s.projection AND c.version = s.version) AS checkpoints,
      (SELECT count(*) FROM projection_streams p WHERE p.projection = s.projection AND p.version = s.version) AS streams
    FROM projection_status s WHERE s.status <> 'retired' AND s.kind = 'read-model' ORDER BY s.projection, s.version`);
  return rows.map((row) => ({
    projection: row.projection, version: row.version, status: row.status, live: row.is_live,
    checkpoints: Number(row.checkpoints), streams: Number(row.streams),
  }));
}

const generation = (row: Record<string, unknown>) => `${row.projection} v${row.version}`;

export async function checkpointDifferences(
  client: pg.ClientBase,
  ends: Array<{ partition: number; end: bigint }>,
  limit: number,
): Promise<Array<Difference | undefined>> {
  return [
    await difference(client, 'checkpoint-beyond-end', 'projection checkpoints past the end of their partition', `
      SELECT count(*) OVER () AS total, c.projection, c.version, c.partition, c.next_offset, e.end_offset
      FROM projection_checkpoints c JOIN ${checked} AND s.projection = c.projection AND s.version = c.version
      LEFT JOIN unnest($2::int[], $3::bigint[]) AS e(partition, end_offset) ON e.partition = c.partition
      WHERE e.end_offset IS NULL OR c.next_offset > e.end_offset
      ORDER BY c.projection, c.version, c.partition LIMIT $1`,
    [limit, ends.map((end) => end.partition), ends.map((end) => end.end.toString())],
    (row) => `${generation(row)}: partition ${row.partition} checkpoint at offset ${row.next_offset}, ` +
      (row.end_offset === null ? 'a partition the topic does not have' : `but the partition ends at ${row.end_offset}`)),

    await difference(client, 'stream-ahead-of-journal', 'projection streams applied beyond the journal\'s last version', `
      WITH journal_streams AS (SELECT stream_id, max(stream_version) AS last_version FROM verify_journal GROUP BY stream_id)
      SELECT count(*) OVER () AS total, p.projection, p.version, p.stream_id, p.last_version, coalesce(j.last_version, 0) AS journal_version
      FROM projection_streams p JOIN ${checked} AND s.projection = p.projection AND s.version = p.version
      LEFT JOIN journal_streams j ON j.stream_id = p.stream_id
      WHERE p.last_version > coalesce(j.last_version, 0)
      ORDER BY p.projection, p.version, p.stream_id LIMIT $1`, [limit],
    (row) => `${generation(row)}: ${row.stream_id} applied up to version ${row.last_version}, ` +
      (Number(row.journal_version) === 0 ? 'a stream the journal does not have' : `the journal ends at version ${row.journal_version}`)),

    await difference(client, 'applied-beyond-checkpoint', 'projection streams applied to a version their partition\'s checkpoint has not passed', `
      WITH journal_streams AS (SELECT stream_id, max(stream_version) AS last_version FROM verify_journal GROUP BY stream_id)
      SELECT count(*) OVER () AS total, p.projection, p.version, p.stream_id, p.last_version,
        (SELECT string_agg(t.partition || ':' || t.kafka_offset || ' (checkpoint ' || coalesce(c.next_offset::text, 'none') || ')', ', ' ORDER BY t.kafka_offset)
         FROM verify_topic t LEFT JOIN projection_checkpoints c ON c.projection = p.projection AND c.version = p.version AND c.partition = t.partition
         WHERE t.stream_id = p.stream_id AND t.stream_version = p.last_version) AS copies
      FROM projection_streams p JOIN ${checked} AND s.projection = p.projection AND s.version = p.version
      JOIN journal_streams j ON j.stream_id = p.stream_id AND p.last_version <= j.last_version
      WHERE NOT EXISTS (
        SELECT 1 FROM verify_topic t
        JOIN projection_checkpoints c ON c.projection = p.projection AND c.version = p.version AND c.partition = t.partition
        WHERE t.stream_id = p.stream_id AND t.stream_version = p.last_version AND t.kafka_offset < c.next_offset)
      ORDER BY p.projection, p.version, p.stream_id LIMIT $1`, [limit],
    (row) => `${generation(row)}: ${row.stream_id} applied up to version ${row.last_version}, ` +
      (row.copies ? `whose copies at ${row.copies} are not below the checkpoint` : 'which is not on the topic')),

    await difference(client, 'checkpoint-skipped-events', 'projection checkpoints past stream versions the projection never applied', `
      WITH passed AS (
        SELECT c.projection, c.version, c.partition, c.next_offset, t.stream_id, max(t.stream_version) AS on_topic
        FROM projection_checkpoints c JOIN ${checked} AND s.projection = c.projection AND s.version = c.version
        JOIN verify_topic t ON t.partition = c.partition AND t.kafka_offset < c.next_offset AND t.stream_id IS NOT NULL
        GROUP BY c.projection, c.version, c.partition, c.next_offset, t.stream_id
      )
      SELECT count(*) OVER () AS total, passed.*, coalesce(p.last_version, 0) AS applied
      FROM passed LEFT JOIN projection_streams p
        ON p.projection = passed.projection AND p.version = passed.version AND p.stream_id = passed.stream_id
      WHERE passed.on_topic > coalesce(p.last_version, 0)
      ORDER BY passed.projection, passed.version, passed.stream_id LIMIT $1`, [limit],
    (row) => `${generation(row)}: partition ${row.partition} checkpoint ${row.next_offset} has passed ${row.stream_id} ` +
      `version ${row.on_topic}, but the projection applied it only up to version ${row.applied}`),
  ];
}
