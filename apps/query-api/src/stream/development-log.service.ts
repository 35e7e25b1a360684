// The stream's developments in journal order, each under its global position, so that a client's
// Last-Event-ID is a cursor into the journal. Positions are taken before commit and the timeline is
// fed from several partitions, so neither NOTIFY order nor the journal as committed now is that
// order: one poller per process advances a settled position over the journal, never past a
// position that may still commit (a hole) or a development the timeline cannot show yet, and every
// subscriber hears what it settles, in order.
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { filter, interval, merge, type Observable, Subject, type Subscription } from 'rxjs';
import { partiesOf } from '#domain';
import { recordedEventOf } from '#event-log';
import { envelopeColumns, envelopeOf } from '#journal';
import { PG_POOL } from '#platform';
import { issueOf, summaryOf, timelineProjection } from '#read-models';
import { LiveFeed } from './live-feed.service.js';

type JournalRow = Parameters<typeof envelopeOf>[0];

/** A development as the stream sends it: its `position` is the message's id. */
export type StreamDevelopment = {
  position: bigint;
  data: {
    globalPosition: string; eventId: string; type: string; streamId: string; version: number; occurredAt: string;
    recordedAt: string; parties: string[]; issue: string | null; summary: string;
  };
};

/** What the stream sends as developments: the timeline's, and the retractions that strike them out. */
const developmentTypes = [...timelineProjection.handles];

/** A hole older than this is a position whose append rolled back (a conflict, a refused command). */
const holeWaitMs = 2_000;
/** How long a development may wait for the timeline (halted, or its event dead-lettered) before it is sent anyway. */
const timelineWaitMs = 10_000;
const settleBatch = 1_000;

function developmentOf(row: JournalRow): StreamDevelopment {
  const envelope = envelopeOf(row);
  const event = recordedEventOf(envelope);
  return {
    position: BigInt(envelope.globalPosition),
    data: {
      globalPosition: envelope.globalPosition, eventId: envelope.eventId, type: envelope.type, streamId: envelope.streamId,
      version: envelope.streamVersion, occurredAt: envelope.occurredAt, recordedAt: envelope.recordedAt,
      parties: partiesOf(event), issue: issueOf(event), summary: summaryOf(event).slice(0, 500),
    },
  };
}

@Injectable()
export class DevelopmentLog implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('DevelopmentLog');
  private readonly settled = new Subject<StreamDevelopment>();
  /** Every position up to here has been settled and, if a development, sent to the subscribers. */
  private reached = 0n;
  /** When the poller first found it waiting at a position, by position: a hole, or a development the timeline lacks. */
  private waitingSince = new Map<bigint, number>();
  private wakeups?: Subscription;
  private settling?: Promise<void>;
  private again = false;

  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool, private readonly live: LiveFeed) {}

  /** The settled position now, and the developments settled after it, in order. Read both in one turn. */
  get position(): bigint {
    return this.reached;
  }

  get developments(): Observable<StreamDevelopment> {
    return this.settled.asObservable();
  }

  async onModuleInit(): Promise<void> {
    // What was already committed at start is history: a subscriber replays it by position.
    const { rows } = await this.pool.query<{ position: string | null }>('SELECT max(global_position) AS position FROM journal');
    this.reached = BigInt(rows[0]?.position ?? 0);
    // A timeline commit NOTIFYs its developments; the interval covers events the timeline does not
    // show and a notification lost while the listener reconnects.
    this.wakeups = merge(this.live.feed.pipe(filter((message) => message.type === 'development')), interval(500))
      .subscribe(() => this.wake());
  }

  onApplicationShutdown(): void {
    this.wakeups?.unsubscribe();
    this.settled.complete();
  }

  /** The selected developments after `after` up to `until`, in order, read from the journal in pages. */
  async *history(after: bigint, until: bigint): AsyncGenerator<StreamDevelopment> {
    let cursor = after;
    for (;;) {
      const { rows } = await this.pool.query<JournalRow>(
        `SELECT ${envelopeColumns} FROM journal WHERE global_position > $1 AND global_position <= $2 AND event_type = ANY($3)
         ORDER BY global_position LIMIT 500`, [cursor.toString(), until.toString(), developmentTypes]);
      for (const row of rows) yield developmentOf(row);
      if (rows.length < 500) return;
      cursor = BigInt(rows.at(-1)!.global_position);
    }
  }

  private wake(): void {
    if (this.settling) {
      this.again = true;
      return;
    }
    this.settling = (async () => {
      do {
        this.again = false;
        try {
          while (await this.settle()) { /* a full batch: more may be waiting */ }
        } catch (error) {
          this.logger.warn({ err: (error as Error).message }, 'could not read the journal for the stream; retrying');
        }
      } while (this.again);
    })().finally(() => {
      this.settling = undefined;
    });
  }

  /** Advances over one batch; true when it settled a whole batch (so another may follow). */
  private async settle(): Promise<boolean> {
    const { rows } = await this.pool.query<JournalRow & { readable: boolean; seen_at: Date }>(
      `SELECT j.*, clock_timestamp() AS seen_at,
         CASE WHEN j.event_type = 'EventRetracted' THEN EXISTS (
                SELECT FROM timeline t WHERE j.data->>'retractedEventId' ~ '^[0-9a-fA-F-]{36}$'
                  AND t.event_id = (j.data->>'retractedEventId')::uuid AND t.retracted)
              WHEN j.event_type = ANY($2) THEN EXISTS (SELECT FROM timeline t WHERE t.event_id = j.event_id)
              ELSE true END AS readable
       FROM (SELECT ${envelopeColumns} FROM journal WHERE global_position > $1 ORDER BY global_position LIMIT ${settleBatch}) j
       ORDER BY j.global_position`, [this.reached.toString(), developmentTypes]);
    for (const row of rows) {
      const position = BigInt(row.global_position);
      if (position !== this.reached + 1n && !(await this.holePassed(this.reached + 1n, row.seen_at))) return false;
      if (!row.readable && !this.waitedFor(position, timelineWaitMs)) return false;
      this.waitingSince.delete(this.reached + 1n);
      this.waitingSince.delete(position);
      this.reached = position;
      if (developmentTypes.includes(row.event_type as (typeof developmentTypes)[number])) this.settled.next(developmentOf(row));
    }
    return rows.length === settleBatch;
  }

  /**
   * A hole is a position taken by an append not committed yet, or rolled back. Once no transaction
   * of this database that began before the hole was first seen is still open, the hole is final;
   * and a hole is passed after holeWaitMs whatever else is open.
   */
  private async holePassed(position: bigint, seenAt: Date): Promise<boolean> {
    if (this.waitedFor(position, holeWaitMs)) return true;
    const { rows } = await this.pool.query<{ open: boolean }>(
      `SELECT EXISTS (SELECT FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
         AND xact_start < $1) AS open`, [seenAt]);
    return !rows[0]!.open;
  }

  private waitedFor(position: bigint, ms: number): boolean {
    const since = this.waitingSince.get(position);
    if (since === undefined) this.waitingSince.set(position, Date.now());
    if (this.waitingSince.size > 10_000) this.waitingSince.clear();
    return since !== undefined && Date.now() - since >= ms;
  }
}
