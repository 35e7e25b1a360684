// The Postgres event journal: append with an expected version in one transaction, load a stream,
// idempotency keys. It doubles as the outbox the relay publishes from.
import pg from 'pg';
import type { Cameo, EventEnvelope } from '#event-log';

export const journalChannel = 'chancery_journal';

export type NewEvent = {
  eventId: string;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  sources: unknown[];
  confidence: string | null;
  cameo: Cameo | null;
  data: Record<string, unknown>;
  recordedBy: string;
  correlationId: string;
  causationId: string | null;
};

export type IdempotencyClaim = { principal: string; key: string; request: string };

export type AppendRequest<Response> = {
  streamId: string;
  /** The stream's version the events were decided on: 0 for a new stream. */
  expectedVersion: number;
  events: NewEvent[];
  idempotency?: IdempotencyClaim;
  /** What a repeat of the same idempotency key gets back. */
  respond: (appended: EventEnvelope[]) => Response;
};

export type AppendOutcome<Response> =
  | { kind: 'appended'; response: Response; events: EventEnvelope[] }
  | { kind: 'repeated'; response: Response };

/** Someone else appended to the stream since it was read: the command was decided on stale state. */
export class StreamVersionConflict extends Error {
  constructor(readonly streamId: string, readonly expectedVersion: number) {
    super(`stream ${streamId} is no longer at version ${expectedVersion}`);
  }
}

/** The idempotency key was used before for a different request. */
export class IdempotencyKeyReused extends Error {
  constructor(readonly key: string) {
    super(`Idempotency-Key "${key}" was already used for a different request`);
  }
}

type JournalRow = {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  event_type: string;
  schema_version: number;
  occurred_at: string;
  recorded_at: Date;
  recorded_by: string;
  correlation_id: string;
  causation_id: string | null;
  sources: unknown[];
  confidence: string | null;
  cameo: Cameo | null;
  data: Record<string, unknown>;
};

export const envelopeColumns = `global_position, event_id, stream_id, stream_version, event_type, schema_version,
  occurred_at, recorded_at, recorded_by, correlation_id, causation_id, sources, confidence, cameo, data`;

export function envelopeOf(row: JournalRow): EventEnvelope {
  return {
    eventId: row.event_id,
    type: row.event_type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    globalPosition: String(row.global_position),
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at.toISOString(),
    recordedBy: row.recorded_by,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    sources: row.sources,
    confidence: row.confidence,
    cameo: row.cameo,
    data: row.data,
  };
}

export type StreamWrite = { streamId: string; expectedVersion: number; events: NewEvent[] };

/**
 * One INSERT for any number of streams' events: each stream's at versions expectedVersion+1…, in
 * the order given (so global positions follow it). Returns the envelopes in that order.
 */
async function insertEvents(client: pg.PoolClient, writes: StreamWrite[]): Promise<EventEnvelope[]> {
  const rowsToInsert = writes.flatMap((write) => write.events.map((event, index) => ({
    event, streamId: write.streamId, version: write.expectedVersion + index + 1,
  })));
  const { rows } = await client.query<JournalRow>(
    `INSERT INTO journal (event_id, stream_id, stream_version, event_type, schema_version, occurred_at,
       recorded_at, recorded_by, correlation_id, causation_id, sources, confidence, cameo, data)
     SELECT e.event_id, e.stream_id, e.stream_version, e.event_type, e.schema_version, e.occurred_at,
       clock_timestamp(), e.recorded_by, e.correlation_id, e.causation_id, e.sources, e.confidence, e.cameo, e.data
     FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[],
                 $10::jsonb[], $11::text[], $12::jsonb[], $13::jsonb[])
       WITH ORDINALITY AS e(event_id, stream_id, stream_version, event_type, schema_version, occurred_at, recorded_by,
                            correlation_id, causation_id, sources, confidence, cameo, data, ordinality)
     ORDER BY e.ordinality
     RETURNING ${envelopeColumns}`,
    [
      rowsToInsert.map((row) => row.event.eventId),
      rowsToInsert.map((row) => row.streamId),
      rowsToInsert.map((row) => row.version),
      rowsToInsert.map((row) => row.event.type),
      rowsToInsert.map((row) => row.event.schemaVersion),
      rowsToInsert.map((row) => row.event.occurredAt),
      rowsToInsert.map((row) => row.event.recordedBy),
      rowsToInsert.map((row) => row.event.correlationId),
      rowsToInsert.map((row) => row.event.causationId),
      rowsToInsert.map((row) => JSON.stringify(row.event.sources)),
      rowsToInsert.map((row) => row.event.confidence),
      rowsToInsert.map((row) => (row.event.cameo ? JSON.stringify(row.event.cameo) : null)),
      rowsToInsert.map((row) => JSON.stringify(row.event.data)),
    ],
  );
  return rows.map(envelopeOf).sort((a, b) => Number(BigInt(a.globalPosition) - BigInt(b.globalPosition)));
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError.code === '23505' && pgError.constraint === constraint;
}

export class Journal {
  constructor(private readonly pool: pg.Pool) {}

  async readStream(streamId: string): Promise<EventEnvelope[]> {
    const { rows } = await this.pool.query<JournalRow>(
      `SELECT ${envelopeColumns} FROM journal WHERE stream_id = $1 ORDER BY stream_version`, [streamId]);
    return rows.map(envelopeOf);
  }

  /** The stream an event belongs to, for commands that name an event (retractions). */
  async streamOfEvent(eventId: string): Promise<string | undefined> {
    return (await this.streamsOfEvents([eventId])).get(eventId);
  }

  /** Every event of these streams, by stream, in version order: one query for a batch of commands. */
  async readStreams(streamIds: string[]): Promise<Map<string, EventEnvelope[]>> {
    const streams = new Map<string, EventEnvelope[]>(streamIds.map((id) => [id, []]));
    if (streamIds.length === 0) return streams;
    const { rows } = await this.pool.query<JournalRow>(
      `SELECT ${envelopeColumns} FROM journal WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version`, [streamIds]);
    for (const row of rows) streams.get(row.stream_id)!.push(envelopeOf(row));
    return streams;
  }

  /** The streams holding these events. */
  async streamsOfEvents(eventIds: string[]): Promise<Map<string, string>> {
    // Only well-formed ids can match, and comparing as uuid keeps the lookup on the index.
    const ids = eventIds.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
    if (ids.length === 0) return new Map();
    const { rows } = await this.pool.query<{ event_id: string; stream_id: string }>(
      'SELECT event_id, stream_id FROM journal WHERE event_id = ANY($1::uuid[])', [ids]);
    return new Map(rows.map((row) => [row.event_id, row.stream_id]));
  }

  /**
   * Appends many streams' events in one transaction (bulk import): all or nothing. A conflict on any
   * stream (someone appended to it meanwhile) rolls back the whole batch.
   */
  async appendMany(writes: StreamWrite[]): Promise<EventEnvelope[]> {
    if (writes.length === 0) return [];
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const appended = await insertEvents(client, writes);
      await client.query(`SELECT pg_notify('${journalChannel}', $1)`, [appended.at(-1)?.globalPosition ?? '']);
      await client.query('COMMIT');
      return appended;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      if (isUniqueViolation(error, 'journal_stream_version')) {
        throw new StreamVersionConflict(writes.map((write) => write.streamId).join(', '), -1);
      }
      throw error;
    } finally {
      client.release();
    }
  }

  /** Which of these streams exist (have a first event). */
  async existingStreams(streamIds: string[]): Promise<Set<string>> {
    if (streamIds.length === 0) return new Set();
    const { rows } = await this.pool.query<{ stream_id: string }>(
      'SELECT stream_id FROM journal WHERE stream_id = ANY($1::text[]) AND stream_version = 1', [streamIds]);
    return new Set(rows.map((row) => row.stream_id));
  }

  /** The first response recorded under an idempotency key, if any. */
  async idempotentResponse<Response>(claim: IdempotencyClaim): Promise<Response | undefined> {
    const { rows } = await this.pool.query<{ request: string; response: Response }>(
      'SELECT request, response FROM idempotency_keys WHERE principal = $1 AND key = $2', [claim.principal, claim.key]);
    if (!rows[0]) return undefined;
    if (rows[0].request !== claim.request) throw new IdempotencyKeyReused(claim.key);
    return rows[0].response;
  }

  /**
   * Appends the events at versions expectedVersion+1… in one transaction, with the idempotency key.
   * A concurrent append to the same stream loses on the unique (stream, version) and gets a conflict;
   * a concurrent request with the same key waits on the key's row and then returns the first response.
   */
  async append<Response>(request: AppendRequest<Response>): Promise<AppendOutcome<Response>> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (request.idempotency) {
        const { principal, key } = request.idempotency;
        const claimed = await client.query(
          `INSERT INTO idempotency_keys (principal, key, request, response) VALUES ($1, $2, $3, 'null')
           ON CONFLICT DO NOTHING`, [principal, key, request.idempotency.request]);
        if (claimed.rowCount === 0) {
          await client.query('ROLLBACK');
          const response = await this.idempotentResponse<Response>(request.idempotency);
          return { kind: 'repeated', response: response as Response };
        }
      }
      const appended = await insertEvents(client, [{ streamId: request.streamId, expectedVersion: request.expectedVersion, events: request.events }]);
      const response = request.respond(appended);
      if (request.idempotency) {
        await client.query('UPDATE idempotency_keys SET response = $3 WHERE principal = $1 AND key = $2',
          [request.idempotency.principal, request.idempotency.key, JSON.stringify(response)]);
      }
      // Delivered at commit: wakes the relay at once.
      await client.query(`SELECT pg_notify('${journalChannel}', $1)`, [appended.at(-1)?.globalPosition ?? '']);
      await client.query('COMMIT');
      return { kind: 'appended', response, events: appended };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      if (isUniqueViolation(error, 'journal_stream_version')) {
        throw new StreamVersionConflict(request.streamId, request.expectedVersion);
      }
      throw error;
    } finally {
      client.release();
    }
  }
}
