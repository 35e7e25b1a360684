// What a projection is: a name and a version, the tables it owns, and how it applies a batch.
import type pg from 'pg';
import type { ChanceryEvent, ChanceryEventType, Recorded } from '#domain';

/** An event as a projection sees it: the domain event, where it sits in the journal and when it was recorded. */
export type ProjectedEvent = Recorded<ChanceryEvent> & {
  globalPosition: string;
  recordedBy: string;
  correlationId: string;
};

export type ApplyContext = {
  /** The batch's transaction: the tables and the checkpoint commit together. */
  tx: pg.PoolClient;
  /** The Postgres schema of this version's tables; always quote-free ([a-z0-9_]). */
  schema: string;
  /** The batch's events this projection handles, new ones only, in partition order. */
  events: ProjectedEvent[];
  /** False while a version is rebuilt beside the live one: nothing user-facing (live stream, alerts) may fire. */
  live: boolean;
};

export type Projection = {
  name: string;
  /**
   * The version of its code. Bumped when its tables or logic change: a new generation is then
   * rebuilt beside the live one and swapped in when caught up.
   */
  version: number;
  /** The tables dashboards read; the live version's are exposed as views of the same name in `public`. */
  tables: readonly string[];
  /** DDL for its tables in a schema of their own; idempotent. */
  setup: (schema: string) => string[];
  handles: ReadonlySet<ChanceryEventType>;
  /** Applies events with set-based SQL; throwing rejects the batch (retried, then isolated). */
  apply: (context: ApplyContext) => Promise<void>;
};

/** The Postgres schema of one generation of a projection (see ADR 0004). */
export function schemaOf(projection: Pick<Projection, 'name'>, generation: number): string {
  return `projection_${projection.name.replaceAll('-', '_')}_v${generation}`;
}

/** Groups a batch's events by type, for one statement per type. */
export function byType<Type extends ChanceryEventType>(events: ProjectedEvent[], type: Type): Array<ProjectedEvent & { type: Type; data: Extract<ChanceryEvent, { type: Type }>['data'] }> {
  return events.filter((event) => event.type === type) as never;
}
