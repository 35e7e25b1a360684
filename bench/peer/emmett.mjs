// The peer: Emmett's PostgreSQL event store appends the bench corpus (one appendToStream per
// command, as an Emmett app records a decision) and then builds a positions projection equivalent to
// Chancery's (latest non-retracted stance per party and issue, withdrawals ending a demand's stance)
// from the start of its store with an async projector. Plain JS: this package is installed
// apart from Chancery's (emmett 0.42 wants commander 12, Chancery uses 14), outside the tsc build.
// Input: BENCH_PEER_DATABASE_URL, BENCH_PEER_CORPUS (NDJSON of {streamId, events}), BENCH_PEER_CONCURRENCY,
// BENCH_PEER_BATCH and BENCH_PEER_PULLING_MS (the projector's pulling).
// Output: one JSON line on stdout.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { getPostgreSQLEventStore, postgreSQLEventStoreConsumer, postgreSQLProjection } from '@event-driven-io/emmett-postgresql';
import { stanceEffects, stanceEndings } from '../../dist/libs/domain/src/index.js';

const databaseUrl = process.env.BENCH_PEER_DATABASE_URL;
const corpusFile = process.env.BENCH_PEER_CORPUS;
const concurrency = Number(process.env.BENCH_PEER_CONCURRENCY ?? 8);
const projectionBatch = Number(process.env.BENCH_PEER_BATCH ?? 1000);
// Emmett waits this long between two batches even when more are waiting (its default: 50 ms).
const pullingMs = Number(process.env.BENCH_PEER_PULLING_MS ?? 1);

function progress(message) {
  process.stderr.write(`[peer] ${message}\n`);
}

async function readCorpus() {
  const batches = [];
  for await (const line of createInterface({ input: createReadStream(corpusFile), crlfDelay: Infinity })) {
    if (line) batches.push(JSON.parse(line));
  }
  return batches;
}

const handled = ['DemandIssued', 'DemandRejected', 'DemandAccepted', 'DemandWithdrawn', 'ProposalMade', 'ProposalDeclined',
  'ProposalAccepted', 'PositionStated', 'EventRetracted'];

/** What Chancery's positions projection keeps, with set-based SQL per batch, in the batch's transaction. */
const positions = postgreSQLProjection({
  name: 'positions',
  canHandle: handled,
  init: async ({ context }) => {
    await context.execute.command(
      `CREATE TABLE IF NOT EXISTS peer_position_history (
         event_id text NOT NULL, party text NOT NULL, issue text NOT NULL, stance text NOT NULL, demand_id text, ends text,
         occurred_at text NOT NULL, global_position bigint NOT NULL, retracted boolean NOT NULL DEFAULT false,
         PRIMARY KEY (event_id, party, issue));
       CREATE INDEX IF NOT EXISTS peer_position_history_pair ON peer_position_history (party, issue);
       CREATE INDEX IF NOT EXISTS peer_position_history_demand ON peer_position_history (demand_id) WHERE demand_id IS NOT NULL;
       CREATE INDEX IF NOT EXISTS peer_position_history_endings ON peer_position_history (ends) WHERE ends IS NOT NULL;
       CREATE TABLE IF NOT EXISTS peer_progress (id int PRIMARY KEY, last_position bigint NOT NULL);
       INSERT INTO peer_progress VALUES (1, 0) ON CONFLICT DO NOTHING;
       CREATE TABLE IF NOT EXISTS peer_positions (
         party text NOT NULL, issue text NOT NULL, stance text NOT NULL, event_id text NOT NULL, occurred_at text NOT NULL,
         global_position bigint NOT NULL, PRIMARY KEY (party, issue))`);
  },
  truncate: async (context) => {
    await context.execute.command('TRUNCATE peer_position_history, peer_positions');
  },
  handle: async (events, context) => {
    try {
      await applyPositions(events, context);
    } catch (error) {
      // Emmett stops the processor on a failed batch without a word; the bench must say why.
      progress(`emmett: the positions projection failed: ${error.stack ?? error}`);
      throw error;
    }
  },
});

async function applyPositions(events, context) {
    const client = context.connection.client;
    const affected = new Map();
    const touch = (party, issue) => affected.set(`${party}\u0000${issue}`, [party, issue]);
    const stances = [];
    const endings = [];
    const retracted = [];
    for (const event of events) {
      const domainEvent = { type: event.type, data: event.data };
      const { messageId, globalPosition, occurredAt } = event.metadata;
      for (const effect of stanceEffects(domainEvent)) {
        touch(effect.party, effect.issue);
        stances.push([messageId, effect.party, effect.issue, effect.stance, event.type === 'DemandIssued' ? event.data.demandId : null, occurredAt, String(globalPosition)]);
      }
      for (const ending of stanceEndings(domainEvent)) {
        touch(ending.party, ending.issue);
        endings.push([messageId, ending.party, ending.issue, ending.demandId, occurredAt, String(globalPosition)]);
      }
      if (event.type === 'EventRetracted') retracted.push(event.data.retractedEventId);
    }
    const column = (rows, index) => rows.map((row) => row[index]);
    // How far the bench has to wait: the batch's last position it handles, committed with the batch.
    await client.query('UPDATE peer_progress SET last_position = greatest(last_position, $1)', [String(events.at(-1).metadata.globalPosition)]);
    if (stances.length > 0) {
      await client.query(
        `INSERT INTO peer_position_history (event_id, party, issue, stance, demand_id, occurred_at, global_position)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[]) ON CONFLICT DO NOTHING`,
        [0, 1, 2, 3, 4, 5, 6].map((index) => column(stances, index)));
    }
    if (endings.length > 0) {
      await client.query(
        `INSERT INTO peer_position_history (event_id, party, issue, stance, demand_id, ends, occurred_at, global_position)
         SELECT w.event_id, w.party, w.issue, 'demands', w.demand_id, d.event_id, w.occurred_at, w.global_position
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
           AS w(event_id, party, issue, demand_id, occurred_at, global_position)
         JOIN peer_position_history d ON d.demand_id = w.demand_id AND d.party = w.party AND d.issue = w.issue AND d.ends IS NULL
         ON CONFLICT DO NOTHING`,
        [0, 1, 2, 3, 4, 5].map((index) => column(endings, index)));
    }
    if (retracted.length > 0) {
      const { rows } = await client.query(
        'UPDATE peer_position_history SET retracted = true WHERE event_id = ANY($1::text[]) AND NOT retracted RETURNING party, issue', [retracted]);
      for (const row of rows) touch(row.party, row.issue);
    }
    if (affected.size === 0) return;
    const pairs = [...affected.values()];
    await client.query(
      `DELETE FROM peer_positions p USING unnest($1::text[], $2::text[]) AS a(party, issue) WHERE p.party = a.party AND p.issue = a.issue`,
      [column(pairs, 0), column(pairs, 1)]);
    await client.query(
      `INSERT INTO peer_positions (party, issue, stance, event_id, occurred_at, global_position)
       SELECT DISTINCT ON (h.party, h.issue) h.party, h.issue, h.stance, h.event_id, h.occurred_at, h.global_position
       FROM peer_position_history h JOIN unnest($1::text[], $2::text[]) AS a(party, issue) ON h.party = a.party AND h.issue = a.issue
       WHERE h.ends IS NULL AND NOT h.retracted
         AND NOT EXISTS (SELECT 1 FROM peer_position_history e WHERE e.ends = h.event_id AND NOT e.retracted)
       ORDER BY h.party, h.issue, h.occurred_at DESC, h.global_position DESC`,
      [column(pairs, 0), column(pairs, 1)]);
}

/** Appends with `concurrency` commands in flight, one stream's commands one after the other. */
async function appendAll(eventStore, batches) {
  const tails = new Map();
  const inFlight = new Set();
  let appended = 0;
  let lastReport = performance.now();
  const started = performance.now();
  for (const batch of batches) {
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    const previous = tails.get(batch.streamId) ?? Promise.resolve();
    const events = batch.events.map(({ eventId, type, data, occurredAt, sources, confidence }) => ({
      type, data, metadata: { messageId: eventId, occurredAt, sources, confidence },
    }));
    const append = previous.then(() => eventStore.appendToStream(batch.streamId, events)).then(() => {
      appended += events.length;
    });
    tails.set(batch.streamId, append);
    const tracked = append.finally(() => {
      inFlight.delete(tracked);
      if (tails.get(batch.streamId) === append) tails.delete(batch.streamId);
    });
    inFlight.add(tracked);
    if (performance.now() - lastReport > 5_000) {
      lastReport = performance.now();
      progress(`emmett: ${appended.toLocaleString('en')} events appended (${Math.round(appended / ((lastReport - started) / 1000)).toLocaleString('en')} events/s)`);
    }
  }
  await Promise.all(inFlight);
  return { appended, seconds: (performance.now() - started) / 1000 };
}

async function main() {
  const batches = await readCorpus();
  const eventStore = getPostgreSQLEventStore(databaseUrl);
  await eventStore.schema.migrate();
  progress(`emmett: appending ${batches.length.toLocaleString('en')} commands, ${concurrency} in flight…`);
  const append = await appendAll(eventStore, batches);
  await eventStore.close();

  progress('emmett: building the positions projection from the start of the store…');
  // An async projector from the beginning, stopped once it has applied the store's last position. (rebuildPostgreSQLProjections stops at the first batch it finds empty, and on a shared
  // server Emmett finds one whenever any older transaction is still open: it reads only below the
  // snapshot's xmin, so that it never skips a transaction that commits late.)
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows: [{ last }] } = await client.query('SELECT max(global_position)::text AS last FROM emt_messages WHERE message_type = ANY($1)', [handled]);
  const consumer = postgreSQLEventStoreConsumer({ connectionString: databaseUrl, pulling: { batchSize: projectionBatch, pullingFrequencyInMs: pullingMs } });
  consumer.projector({ projection: positions, startFrom: 'BEGINNING', connectionOptions: { connectionString: databaseUrl } });
  const started = performance.now();
  const running = consumer.start();
  let lastReport = performance.now();
  for (;;) {
    const { rows } = await client.query("SELECT coalesce((SELECT last_position FROM peer_progress), 0)::text AS at").catch(() => ({ rows: [{ at: '0' }] }));
    if (BigInt(rows[0].at) >= BigInt(last)) break;
    if (performance.now() - lastReport > 5_000) {
      lastReport = performance.now();
      progress(`emmett: projection at ${Number(rows[0].at).toLocaleString('en')} of ${Number(last).toLocaleString('en')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const projectionSeconds = (performance.now() - started) / 1000;
  // Emmett's consumer.close() can wait for ever on a batch transaction it has begun; the process exit ends it.
  await Promise.race([consumer.close().then(() => running), new Promise((resolve) => setTimeout(resolve, 2_000))]);
  const { rows } = await client.query('SELECT (SELECT count(*) FROM peer_positions)::int AS positions, (SELECT count(*) FROM peer_position_history)::int AS history');
  await client.end();

  process.stdout.write(`${JSON.stringify({
    version: '0.42.0',
    events: append.appended,
    appendConcurrency: concurrency,
    appendSeconds: Math.round(append.seconds * 100) / 100,
    appendEventsPerSec: Math.round(append.appended / append.seconds),
    projectionBatchSize: projectionBatch,
    projectionPullingFrequencyMs: pullingMs,
    projectionSeconds: Math.round(projectionSeconds * 100) / 100,
    projectionEventsPerSec: Math.round(append.appended / projectionSeconds),
    positions: rows[0].positions,
    positionHistoryRows: rows[0].history,
  })}\n`);
}

main().then(() => process.exit(0), (error) => {
  process.stderr.write(`[peer] ${error.stack ?? error}\n`);
  process.exit(1);
});
