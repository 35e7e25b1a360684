// The Postgres event journal: append with an expected version in one transaction, load a stream,
// idempotency keys. Each append also enters its events in the outbox the relay publishes from.
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
  /**
   * What a repeat of the same idempotency key gets back. It is made before the insert (it is stored
   * by the same statement), so it can only use what the caller already knows: ids and versions.
   */
  respond: (appended: AppendedEvent[]) => Response;
};

/** An event as it will sit in its stream, known before it is appended. */
export type AppendedEvent = { eventId: string; streamId: string; streamVersion: number };

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

/** The rows of these writes, each stream's at versions expectedVersion+1…, in the order given (so global positions follow it). */
function rowsOf(writes: StreamWrite[]) {
  return writes.flatMap((write) => write.events.map((event, index) => ({
    event, streamId: write.streamId, version: write.expectedVersion + index + 1,
  })));
}

// The journal's statements are named, so each connection parses and plans them once: for a one-row
// append, planning the INSERT … FROM unnest was a good part of Postgres's work.

/**
 * The INSERT of any number of streams' events as one statement, each event entering the outbox in
 * the same statement: $1…$13 are the rows as arrays, in order. With a `claim` (a statement returning
 * a row when the idempotency key was free), the events go in only if it returned one.
 */
function appendStatement(returning: string, claim?: string): string {
  return `WITH ${claim ? `claim AS (${claim}),` : ''}
     appended AS (
       INSERT INTO journal (event_id, stream_id, stream_version, event_type, schema_version, occurred_at,
         recorded_at, recorded_by, correlation_id, causation_id, sources, confidence, cameo, data)
       SELECT e.event_id, e.stream_id, e.stream_version, e.event_type, e.schema_version, e.occurred_at,
         clock_timestamp(), e.recorded_by, e.correlation_id, e.causation_id, e.sources, e.confidence, e.cameo, e.data
       FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::jsonb[], $11::text[], $12::jsonb[], $13::jsonb[])
         WITH ORDINALITY AS e(event_id, stream_id, stream_version, event_type, schema_version, occurred_at, recorded_by,
                              correlation_id, causation_id, sources, confidence, cameo, data, ordinality)
       ${claim ? 'WHERE EXISTS (SELECT FROM claim)' : ''}
       ORDER BY e.ordinality
       RETURNING ${returning}
     ),
     queued AS (INSERT INTO outbox (global_position) SELECT global_position FROM appended)
   SELECT * FROM appended`;
}

function insertParameters(rows: ReturnType<typeof rowsOf>): unknown[] {
  return [
    rows.map((row) => row.event.eventId),
    rows.map((row) => row.streamId),
    rows.map((row) => row.version),
    rows.map((row) => row.event.type),
    rows.map((row) => row.event.schemaVersion),
    rows.map((row) => row.event.occurredAt),
    rows.map((row) => row.event.recordedBy),
    rows.map((row) => row.event.correlationId),
    rows.map((row) => row.event.causationId),
    rows.map((row) => JSON.stringify(row.event.sources)),
    rows.map((row) => row.event.confidence),
    rows.map((row) => (row.event.cameo ? JSON.stringify(row.event.cameo) : null)),
    rows.map((row) => JSON.stringify(row.event.data)),
  ];
}

const byPosition = (a: EventEnvelope, b: EventEnvelope) => Number(BigInt(a.globalPosition) - BigInt(b.globalPosition));

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError.code === '23505' && pgError.constraint === constraint;
}

/**
 * Wakes whoever publishes the outbox after an append committed. In-process, a relay that owns the
 * outbox is woken directly; otherwise a NOTIFY is sent, after the commit and outside the append's
 * transaction: a transaction that NOTIFYs takes a database-wide lock at commit, held through its WAL
 * flush, which would serialize every append. One NOTIFY at a time per process, and one more if
 * appends committed while it was on its way, so a burst of appends costs one or two.
 */
class OutboxAnnouncer {
  private readonly localRelays = new Set<() => boolean>();
  private sending = false;
  private again = false;

  constructor(private readonly pool: pg.Pool) {}

  /** A relay in this process: `wake` wakes it and says whether it owns the outbox (else a NOTIFY goes out). */
  add(wake: () => boolean): () => void {
    this.localRelays.add(wake);
    return () => this.localRelays.delete(wake);
  }

  announce(): void {
    for (const wake of this.localRelays) if (wake()) return;
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = true;
    void this.notify();
  }

  private async notify(): Promise<void> {
    do {
      this.again = false;
      // A lost notification costs latency, never a row: the relay also polls.
      await this.pool.query(`SELECT pg_notify('${journalChannel}', '')`).catch(() => {});
    } while (this.again);
    this.sending = false;
  }
}

export class Journal {
  private readonly announcer: OutboxAnnouncer;

  constructor(private readonly pool: pg.Pool) {
    this.announcer = new OutboxAnnouncer(pool);
  }

  /**
   * Lets a relay in this process be woken directly after each append; `wake` answers whether it owns
   * the outbox. Returns the way to stop.
   */
  onAppended(wake: () => boolean): () => void {
    return this.announcer.add(wake);
  }

  async readStream(streamId: string): Promise<EventEnvelope[]> {
    const { rows } = await this.pool.query<JournalRow>({
      name: 'journal-read-stream', text: `SELECT ${envelopeColumns} FROM journal WHERE stream_id = $1 ORDER BY stream_version`, values: [streamId],
    });
    return rows.map(envelopeOf);
  }

  /**
   * The events of each stream after the version given for it, in version order: what a writer that
   * already folded a stream up to that version has not seen yet. Streams given at version 0 are read
   * whole; the others are first probed for a next version (one index lookup each, usually none
   * found), and only those that moved are read.
   */
  async readStreamsAfter(after: ReadonlyMap<string, number>): Promise<Map<string, EventEnvelope[]>> {
    const streams = new Map<string, EventEnvelope[]>([...after.keys()].map((id) => [id, []]));
    const unread = [...after].filter(([, version]) => version === 0).map(([id]) => id);
    const folded = [...after].filter(([, version]) => version > 0);
    const [whole, moved] = await Promise.all([
      this.eventsOf(unread, 0),
      folded.length === 0 ? [] : this.pool.query<{ stream_id: string }>({
        name: 'journal-moved-streams',
        text: `SELECT s.stream_id FROM unnest($1::text[], $2::int[]) AS s(stream_id, after_version)
               WHERE EXISTS (SELECT FROM journal j WHERE j.stream_id = s.stream_id AND j.stream_version = s.after_version + 1)`,
        values: [folded.map(([id]) => id), folded.map(([, version]) => version)],
      }).then(({ rows }) => rows.map((row) => row.stream_id)),
    ]);
    const since = moved.length === 0 ? [] : await this.eventsOf(moved, Math.min(...moved.map((id) => after.get(id)!)));
    for (const row of [...whole, ...since]) {
      if (row.stream_version > after.get(row.stream_id)!) streams.get(row.stream_id)!.push(envelopeOf(row));
    }
    return streams;
  }

  /** These streams' events after a version, by stream and version. */
  private async eventsOf(streamIds: string[], afterVersion: number): Promise<JournalRow[]> {
    if (streamIds.length === 0) return [];
    const { rows } = await this.pool.query<JournalRow>({
      name: 'journal-streams-after',
      text: `SELECT ${envelopeColumns} FROM journal WHERE stream_id = ANY($1::text[]) AND stream_version > $2 ORDER BY stream_id, stream_version`,
      values: [streamIds, afterVersion],
    });
    return rows;
  }

  /** The stream an event belongs to, for commands that name an event (retractions). */
  async streamOfEvent(eventId: string): Promise<string | undefined> {
    return (await this.streamsOfEvents([eventId])).get(eventId);
  }

  /** Every event of these streams, by stream, in version order: one query for a batch of commands. */
  async readStreams(streamIds: string[]): Promise<Map<string, EventEnvelope[]>> {
    return this.readStreamsAfter(new Map(streamIds.map((id) => [id, 0])));
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
   * Appends many streams' events (bulk import) as one statement, so all or nothing. A conflict on
   * any stream (someone appended to it meanwhile) refuses the whole batch.
   */
  async appendMany(writes: StreamWrite[]): Promise<void> {
    const rows = rowsOf(writes);
    if (rows.length === 0) return;
    try {
      await this.pool.query({ name: 'journal-append-many', text: appendStatement('global_position'), values: insertParameters(rows) });
    } catch (error) {
      if (isUniqueViolation(error, 'journal_stream_version')) {
        throw new StreamVersionConflict(writes.map((write) => write.streamId).join(', '), -1);
      }
      throw error;
    }
    this.announcer.announce();
  }

  /** Which of these streams exist (have a first event). */
  async existingStreams(streamIds: string[]): Promise<Set<string>> {
    if (streamIds.length === 0) return new Set();
    const { rows } = await this.pool.query<{ stream_id: string }>({
      name: 'journal-existing-streams', text: 'SELECT stream_id FROM journal WHERE stream_id = ANY($1::text[]) AND stream_version = 1', values: [streamIds],
    });
    return new Set(rows.map((row) => row.stream_id));
  }

  /** The first response recorded under an idempotency key, if any. */
  async idempotentResponse<Response>(claim: IdempotencyClaim): Promise<Response | undefined> {
    const { rows } = await this.pool.query<{ request: string; response: Response }>({
      name: 'journal-idempotent-response',
      text: 'SELECT request, response FROM idempotency_keys WHERE principal = $1 AND key = $2',
      values: [claim.principal, claim.key],
    });
    if (!rows[0]) return undefined;
    if (rows[0].request !== claim.request) throw new IdempotencyKeyReused(claim.key);
    return rows[0].response;
  }

  /**
   * Appends the events at versions expectedVersion+1… with the idempotency key, as one statement
   * (one round trip, one commit). A concurrent append to the same stream loses on the unique (stream,
   * version) and gets a conflict; a concurrent request with the same key waits on the key's row and
   * then returns the first response.
   */
  async append<Response>(request: AppendRequest<Response>): Promise<AppendOutcome<Response>> {
    if (request.events.length === 0) throw new Error(`nothing to append to ${request.streamId}`);
    const rows = rowsOf([{ streamId: request.streamId, expectedVersion: request.expectedVersion, events: request.events }]);
    const response = request.respond(rows.map((row) => ({ eventId: row.event.eventId, streamId: row.streamId, streamVersion: row.version })));
    let appended: EventEnvelope[];
    try {
      if (request.idempotency) {
        const { principal, key, request: sent } = request.idempotency;
        // The claim and the events commit together or not at all; the events go in only if the key was free.
        const result = await this.pool.query<JournalRow>({
          name: 'journal-append-claiming',
          text: appendStatement(envelopeColumns, `INSERT INTO idempotency_keys (principal, key, request, response)
            VALUES ($14, $15, $16, $17::jsonb) ON CONFLICT DO NOTHING RETURNING 1`),
          values: [...insertParameters(rows), principal, key, sent, JSON.stringify(response)],
        });
        if (result.rows.length === 0) {
          return { kind: 'repeated', response: (await this.idempotentResponse<Response>(request.idempotency)) as Response };
        }
        appended = result.rows.map(envelopeOf);
      } else {
        appended = (await this.pool.query<JournalRow>({
          name: 'journal-append', text: appendStatement(envelopeColumns), values: insertParameters(rows),
        })).rows.map(envelopeOf);
      }
    } catch (error) {
      if (isUniqueViolation(error, 'journal_stream_version')) {
        throw new StreamVersionConflict(request.streamId, request.expectedVersion);
      }
      throw error;
    }
    this.announcer.announce();
    return { kind: 'appended', response, events: appended.sort(byPosition) };
  }
}
