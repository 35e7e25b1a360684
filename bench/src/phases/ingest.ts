// Bulk ingest: the corpus through POST /v1/import into the journal, and on to Kafka by the relay.
// Timed from the first request until the relay has published every event (the outbox is empty).
import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeEnvelope } from '#event-log';
import { envelopeColumns, envelopeOf } from '#journal';
import type { BenchContext } from '../context.js';
import type { BenchCorpus } from '../corpus-lines.js';
import { endOffsets } from '../infra.js';
import { type Api } from '../http.js';
import { progress } from '../log.js';

export type IngestResult = {
  lines: number;
  retractionsSentLast: number;
  requests: number;
  events: number;
  /** Import → journal committed (the last import answered). */
  journalEventsPerSec: number;
  /** Import → journal → Kafka (every row published): the figure. */
  eventsPerSec: number;
  seconds: number;
  relayTailSeconds: number;
  averageRecordBytes: number;
};

type ImportReport = { accepted: number; rejected: Array<{ line: number; status: number; detail: string }> };

/** The server's ids of retracted events, by their stream and version (the corpus knows those, not the ids). */
async function serverEventIds(pool: pg.Pool, targets: Array<{ streamId: string; version: number }>): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ stream_id: string; stream_version: number; event_id: string }>(
    `SELECT j.stream_id, j.stream_version, j.event_id FROM journal j
     JOIN unnest($1::text[], $2::int[]) AS t(stream_id, stream_version) USING (stream_id, stream_version)`,
    [targets.map((target) => target.streamId), targets.map((target) => target.version)]);
  return new Map(rows.map((row) => [`${row.stream_id}/${row.stream_version}`, row.event_id]));
}

/** Mean size of a Kafka record as the relay sends it (value + key + headers), from a sample of the journal. */
async function averageRecordBytes(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query(`SELECT ${envelopeColumns} FROM journal TABLESAMPLE SYSTEM (10) LIMIT 20000`);
  const sample = rows.length > 0 ? rows : (await pool.query(`SELECT ${envelopeColumns} FROM journal LIMIT 20000`)).rows;
  const sizes = sample.map((row) => {
    const record = encodeEnvelope(envelopeOf(row));
    const headers = Object.entries(record.headers).reduce((sum, [name, value]) => sum + name.length + value.length, 0);
    return Buffer.byteLength(record.value) + Buffer.byteLength(record.key) + headers;
  });
  return Math.round(sizes.reduce((sum, size) => sum + size, 0) / sizes.length);
}

/**
 * The import lines, in corpus order, but every retraction held back to a request of its own at the
 * end: the import fails with a 500 when one chunk holds a retraction and another command on the same
 * stream (CommandExecutor.executeMany folds the stream once, with the first command's decider). The
 * retractions' targets are then found by their stream and version without the held-back retractions.
 */
function planRequests(corpus: BenchCorpus, lineCount: number, linesPerRequest: number) {
  const requests: Array<{ texts: string[]; events: number }> = [];
  const retractions: Array<{ streamId: string; version: number; reason: string }> = [];
  const versionOnServer = new Map<string, { streamId: string; version: number }>();
  const streamLength = new Map<string, number>();
  for (let index = 0; index < lineCount; index++) {
    const line = corpus.lines[index]!;
    const batch = corpus.batches[index]!;
    if (line.kind === 'retraction') {
      retractions.push({ ...versionOnServer.get(line.target.corpusEventId)!, reason: line.reason });
      continue;
    }
    const before = streamLength.get(batch.streamId) ?? 0;
    streamLength.set(batch.streamId, before + batch.events.length);
    batch.eventIds.forEach((eventId, offset) => versionOnServer.set(eventId, { streamId: batch.streamId, version: before + offset + 1 }));
    if (requests.length === 0 || requests.at(-1)!.texts.length >= linesPerRequest) requests.push({ texts: [], events: 0 });
    requests.at(-1)!.texts.push(line.text);
    requests.at(-1)!.events += line.events;
  }
  return { requests, retractions };
}

export async function ingest(context: BenchContext, corpus: BenchCorpus, api: Api, pool: pg.Pool, lineCount: number): Promise<IngestResult> {
  const { linesPerImportRequest } = context.options;
  const plan = planRequests(corpus, lineCount, linesPerImportRequest);
  let requests = 0;
  let events = 0;
  let lines = 0;
  let lastReport = performance.now();
  const started = performance.now();
  const send = async (texts: string[]) => {
    const answer = await api.call('POST', '/v1/import', { ndjson: `${texts.join('\n')}\n` });
    requests++;
    const report = answer.body as ImportReport;
    if (answer.status !== 200 || report.accepted !== texts.length) {
      throw new Error(`import request ${requests}: HTTP ${answer.status}, accepted ${report?.accepted} of ${texts.length}, `
        + `first rejections ${JSON.stringify(report?.rejected?.slice(0, 3) ?? answer.body)}`);
    }
    lines += texts.length;
    if (performance.now() - lastReport > 5_000) {
      lastReport = performance.now();
      progress(`ingest: ${lines.toLocaleString('en')} / ${lineCount.toLocaleString('en')} lines imported (${Math.round(events / ((lastReport - started) / 1000)).toLocaleString('en')} events/s into the journal)`);
    }
  };
  for (const request of plan.requests) {
    events += request.events;
    await send(request.texts);
  }
  for (let first = 0; first < plan.retractions.length; first += linesPerImportRequest) {
    const chunk = plan.retractions.slice(first, first + linesPerImportRequest);
    const ids = await serverEventIds(pool, chunk);
    events += chunk.length;
    await send(chunk.map((retraction) => {
      const eventId = ids.get(`${retraction.streamId}/${retraction.version}`);
      if (!eventId) throw new Error(`the journal has no ${retraction.streamId}/${retraction.version} to retract`);
      return JSON.stringify({ command: 'RetractEvent', eventId, reason: retraction.reason });
    }));
  }
  const journalDone = performance.now();

  for (let polls = 0; ; polls++) {
    const { rows } = await pool.query<{ pending: boolean }>('SELECT EXISTS (SELECT FROM outbox) AS pending');
    if (!rows[0]!.pending) break;
    if (polls % 100 === 99) progress('ingest: waiting for the relay to publish the rest…');
    await sleep(20);
  }
  const published = performance.now();

  const { rows } = await pool.query<{ count: string }>('SELECT count(*) FROM journal');
  if (Number(rows[0]!.count) !== events) throw new Error(`the journal holds ${rows[0]!.count} events; the corpus made ${events}`);
  const offsets = await endOffsets(context.brokers, `${context.prefix}.events`);
  const onKafka = [...offsets.values()].reduce((sum, high) => sum + Number(high), 0);
  if (onKafka !== events) throw new Error(`Kafka holds ${onKafka} events; the journal ${events}`);

  const seconds = (published - started) / 1000;
  return {
    lines: lineCount,
    retractionsSentLast: plan.retractions.length,
    requests,
    events,
    journalEventsPerSec: Math.round(events / ((journalDone - started) / 1000)),
    eventsPerSec: Math.round(events / seconds),
    seconds: Math.round(seconds * 100) / 100,
    relayTailSeconds: Math.round((published - journalDone) / 10) / 100,
    averageRecordBytes: await averageRecordBytes(pool),
  };
}
