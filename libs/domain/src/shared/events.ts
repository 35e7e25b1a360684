import { type Confidence, type Provenance, type Source } from './development.js';
import { currentSchemaVersion } from './event-types.js';

export type DomainEvent<Type extends string, Data> = {
  type: Type;
  schemaVersion: number;
  /** Valid time: when it happened in the world (a date or a timestamp). */
  occurredAt: string;
  sources: Source[];
  confidence?: Confidence;
  data: Data;
};

/** An event as the journal holds it: what evolve folds. */
export type Recorded<E> = E & { eventId: string; streamId: string; streamVersion: number; recordedAt: string };

type VersionedType = keyof typeof currentSchemaVersion;

/** Leaves out absent optional fields, so an event's JSON and its in-memory value look the same. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** A development event from a command's provenance; the command's `note` moves into the data. */
export function development<Type extends VersionedType, Data extends object>(
  type: Type,
  provenance: Provenance,
  data: Data,
): DomainEvent<Type, Data & { note?: string }> {
  return withoutUndefined({
    type,
    schemaVersion: currentSchemaVersion[type],
    occurredAt: provenance.occurredAt,
    sources: provenance.sources,
    confidence: provenance.confidence,
    data: withoutUndefined({ ...data, note: provenance.note }),
  });
}

/** An event the system records on its own authority (registrations, retractions): now, without sources. */
export function bookkeeping<Type extends VersionedType, Data extends object>(
  type: Type,
  now: Date,
  data: Data,
): DomainEvent<Type, Data> {
  return { type, schemaVersion: currentSchemaVersion[type], occurredAt: now.toISOString(), sources: [], data: withoutUndefined(data) };
}
