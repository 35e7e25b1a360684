// Journal against topic, as set operations over two session-local tables: `verify_journal` (one row
// per journal event, with its content digest and where the relay said it put it) and `verify_topic`
// (one row per record read). Postgres does the joins, so memory stays flat however long the log.
import type pg from 'pg';
import { difference, type Difference } from './verify-report.js';

export const logTables = [
  `CREATE TEMP TABLE verify_journal (
     global_position bigint NOT NULL, event_id text NOT NULL, stream_id text NOT NULL, stream_version integer NOT NULL,
     published boolean NOT NULL, kafka_partition integer, kafka_offset bigint, digest text NOT NULL)`,
  'CREATE INDEX ON verify_journal (event_id)',
  'CREATE INDEX ON verify_journal (stream_id, stream_version)',
  // newer: at or past the end measured before the journal snapshot, so its event may be younger than the snapshot.
  `CREATE TEMP TABLE verify_topic (
     partition integer NOT NULL, kafka_offset bigint NOT NULL, event_id text, stream_id text, stream_version integer,
     digest text NOT NULL, problem text, newer boolean NOT NULL)`,
  'CREATE INDEX ON verify_topic (event_id)',
  'CREATE INDEX ON verify_topic (partition, kafka_offset)',
  'CREATE INDEX ON verify_topic (stream_id, stream_version)',
];

const short = (text: unknown, length = 160) => {
  const value = String(text);
  return value.length > length ? `${value.slice(0, length - 1)}…` : value;
};

export async function logStatistics(client: pg.ClientBase) {
  const { rows: [journal] } = await client.query<{ events: string; streams: string; published: string; sent_not_marked: string; awaiting: string }>(`
    SELECT count(*) AS events, count(DISTINCT stream_id) AS streams, count(*) FILTER (WHERE published) AS published,
      count(*) FILTER (WHERE NOT published AND EXISTS (SELECT 1 FROM verify_topic t WHERE t.event_id = j.event_id)) AS sent_not_marked,
      count(*) FILTER (WHERE NOT published AND NOT EXISTS (SELECT 1 FROM verify_topic t WHERE t.event_id = j.event_id)) AS awaiting
    FROM verify_journal j`);
  const { rows: [copies] } = await client.query<{ events: string; duplicate_copies: string; duplicated_events: string }>(`
    SELECT count(*) AS events, coalesce(sum(copies - 1), 0) AS duplicate_copies, count(*) FILTER (WHERE copies > 1) AS duplicated_events
    FROM (SELECT t.event_id, count(*) AS copies FROM verify_topic t
          JOIN verify_journal j ON j.event_id = t.event_id AND j.digest = t.digest GROUP BY t.event_id) c`);
  const { rows: [topic] } = await client.query<{ records: string; newer: string }>(`
    SELECT count(*) AS records,
      count(*) FILTER (WHERE newer AND NOT EXISTS (SELECT 1 FROM verify_journal j WHERE j.event_id = t.event_id)) AS newer
    FROM verify_topic t`);
  return {
    journal: {
      events: Number(journal!.events), streams: Number(journal!.streams), published: Number(journal!.published),
      sentNotMarked: Number(journal!.sent_not_marked), awaitingRelay: Number(journal!.awaiting),
    },
    log: {
      records: Number(topic!.records), events: Number(copies!.events), duplicateCopies: Number(copies!.duplicate_copies),
      duplicatedEvents: Number(copies!.duplicated_events), newerThanSnapshot: Number(topic!.newer),
    },
  };
}

const journalEvent = (row: Record<string, unknown>) =>
  `event ${row.event_id} (${row.stream_id} v${row.stream_version}, journal position ${row.global_position})`;
const record = (row: Record<string, unknown>) => `partition ${row.partition} offset ${row.kafka_offset}`;

/** Every difference between the journal and the topic, each kind with its first `limit` examples. */
export async function logDifferences(client: pg.ClientBase, limit: number): Promise<Array<Difference | undefined>> {
  return [
    await difference(client, 'missing-from-topic', 'journal events marked published with no copy on the topic', `
      SELECT count(*) OVER () AS total, j.* FROM verify_journal j
      WHERE j.published AND NOT EXISTS (SELECT 1 FROM verify_topic t WHERE t.event_id = j.event_id)
      ORDER BY j.global_position LIMIT $1`, [limit],
    (row) => `${journalEvent(row)}: the journal says partition ${row.kafka_partition} offset ${row.kafka_offset}`),

    await difference(client, 'awaiting-relay', 'journal events the relay has not published yet (is it running?)', `
      SELECT count(*) OVER () AS total, j.* FROM verify_journal j
      WHERE NOT j.published AND NOT EXISTS (SELECT 1 FROM verify_topic t WHERE t.event_id = j.event_id)
      ORDER BY j.global_position LIMIT $1`, [limit],
    journalEvent),

    await difference(client, 'not-in-journal', 'topic records whose event is not in the journal', `
      SELECT count(*) OVER () AS total, t.* FROM verify_topic t
      WHERE t.event_id IS NOT NULL AND NOT t.newer AND NOT EXISTS (SELECT 1 FROM verify_journal j WHERE j.event_id = t.event_id)
      ORDER BY t.partition, t.kafka_offset LIMIT $1`, [limit],
    (row) => `${record(row)}: event ${row.event_id}${row.stream_id ? ` (${row.stream_id} v${row.stream_version})` : ''}`),

    await difference(client, 'differing-copy', 'topic copies whose content differs from the journal\'s event', `
      SELECT count(*) OVER () AS total, t.partition, t.kafka_offset, j.event_id, j.stream_id, j.stream_version, j.global_position
      FROM verify_topic t JOIN verify_journal j ON j.event_id = t.event_id
      WHERE t.digest <> j.digest
      ORDER BY t.partition, t.kafka_offset LIMIT $1`, [limit],
    (row) => `${record(row)}: a copy of ${journalEvent(row)} with other content`),

    await difference(client, 'malformed-record', 'topic records that are not well-formed copies (envelope, key, headers, partition)', `
      SELECT count(*) OVER () AS total, t.* FROM verify_topic t WHERE t.problem IS NOT NULL
      ORDER BY t.partition, t.kafka_offset LIMIT $1`, [limit],
    (row) => `${record(row)}${row.event_id ? ` (event ${row.event_id})` : ''}: ${short(row.problem)}`),

    // A re-sent batch repeats events already on the partition; only each event's first copy says
    // where it was ordered, so the order is checked over first copies.
    await difference(client, 'out-of-order', 'events on the topic before an earlier version of their stream', `
      WITH firsts AS (
        SELECT DISTINCT ON (event_id) event_id, stream_id, stream_version, partition, kafka_offset
        FROM verify_topic WHERE stream_id IS NOT NULL AND problem IS NULL
        ORDER BY event_id, kafka_offset
      ), ordered AS (
        SELECT *, lag(stream_version) OVER w AS previous_version, lag(kafka_offset) OVER w AS previous_offset
        FROM firsts WINDOW w AS (PARTITION BY stream_id ORDER BY kafka_offset)
      )
      SELECT count(*) OVER () AS total, * FROM ordered WHERE stream_version <= previous_version
      ORDER BY stream_id, kafka_offset LIMIT $1`, [limit],
    (row) => `${row.stream_id} on partition ${row.partition}: version ${row.stream_version} (event ${row.event_id}) at offset ` +
      `${row.kafka_offset} comes after version ${row.previous_version} at offset ${row.previous_offset}`),

    await difference(client, 'wrong-position', 'journal events whose recorded partition and offset hold no copy of them', `
      SELECT count(*) OVER () AS total, j.*,
        (SELECT string_agg(t.partition || ':' || t.kafka_offset, ', ' ORDER BY t.partition, t.kafka_offset)
         FROM verify_topic t WHERE t.event_id = j.event_id) AS copies,
        (SELECT coalesce('event ' || t.event_id, 'a record naming no event') FROM verify_topic t
         WHERE t.partition = j.kafka_partition AND t.kafka_offset = j.kafka_offset) AS there
      FROM verify_journal j
      WHERE j.published AND EXISTS (SELECT 1 FROM verify_topic t WHERE t.event_id = j.event_id)
        AND NOT EXISTS (SELECT 1 FROM verify_topic t
                        WHERE t.event_id = j.event_id AND t.partition = j.kafka_partition AND t.kafka_offset = j.kafka_offset)
      ORDER BY j.global_position LIMIT $1`, [limit],
    (row) => `${journalEvent(row)}: the journal says partition ${row.kafka_partition ?? '?'} offset ${row.kafka_offset ?? '?'}, ` +
      `which holds ${row.there ?? 'no record'}; its copies are at ${row.copies}`),
  ];
}
