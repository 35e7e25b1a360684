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
    const { rows } = await this.pool.query<{ stream_id: string }>(
      'SELECT stream_id FROM journal WHERE event_id = $1', [eventId]);
    return rows[0]?.stream_id;
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
      const events = request.events;
      const { rows } = await client.query<JournalRow>(
        `INSERT INTO journal (event_id, stream_id, stream_version, event_type, schema_version, occurred_at,
           recorded_at, recorded_by, correlation_id, causation_id, sources, confidence, cameo, data)
         SELECT e.event_id, $1, $2 + e.ordinality, e.event_type, e.schema_version, e.occurred_at,
           clock_timestamp(), e.recorded_by, e.correlation_id, e.causation_id, e.sources, e.confidence, e.cameo, e.data
         FROM unnest($3::uuid[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[],
                     $10::jsonb[], $11::text[], $12::jsonb[], $13::jsonb[])
           WITH ORDINALITY AS e(event_id, event_type, schema_version, occurred_at, recorded_by, correlation_id,
                                causation_id, sources, confidence, cameo, data, ordinality)
         ORDER BY e.ordinality
         RETURNING ${envelopeColumns}`,
        [
          request.streamId,
          request.expectedVersion,
          events.map((event) => event.eventId),
          events.map((event) => event.type),
          events.map((event) => event.schemaVersion),
          events.map((event) => event.occurredAt),
          events.map((event) => event.recordedBy),
          events.map((event) => event.correlationId),
          events.map((event) => event.causationId),
          events.map((event) => JSON.stringify(event.sources)),
          events.map((event) => event.confidence),
          events.map((event) => (event.cameo ? JSON.stringify(event.cameo) : null)),
          events.map((event) => JSON.stringify(event.data)),
        ],
      );
      const appended = rows.map(envelopeOf).sort((a, b) => a.streamVersion - b.streamVersion);
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
