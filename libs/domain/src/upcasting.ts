// Events recorded at an older schema version, read as the current version. The journal and the
// topic keep every event as it was recorded; whatever folds or projects one upcasts it first, so
// deciders and projections are written against current versions only (docs/adr/0007-event-schema-versions.md).
import { z } from 'zod';
import { type ChanceryEventType, domainEventSchemas } from './events.js';
import { demandAnswerV1Data } from './demands/demand.events.js';
import { proposalAnswerV1Data } from './proposals/proposal.events.js';
import { currentSchemaVersion } from './shared/event-types.js';
import { type WarningGivenV1, warningGivenV1Data, warningGivenV1ToV2 } from './warnings/warning.events.js';

/** The parts of an event (or an envelope) that its schema version governs. */
export type VersionedEvent = { type: string; schemaVersion: number; data: Record<string, unknown> };

/** A past version of an event type: the shape its data had, and how that becomes the next version's. */
export type PastVersion = {
  data: z.ZodType;
  toNext: (data: Record<string, unknown>) => Record<string, unknown>;
};

/**
 * Every past version of every event type. Bumping a type in `currentSchemaVersion` adds its
 * previous version here; nothing is ever removed, since the journal keeps such events for good.
 */
export const pastSchemaVersions: Partial<Record<ChanceryEventType, Readonly<Record<number, PastVersion>>>> = {
  WarningGiven: {
    1: { data: warningGivenV1Data, toNext: (data) => warningGivenV1ToV2(data as WarningGivenV1['data']) },
  },
  DemandRejected: { 1: { data: demandAnswerV1Data, toNext: firstAnswer } },
  DemandAccepted: { 1: { data: demandAnswerV1Data, toNext: firstAnswer } },
  ProposalDeclined: { 1: { data: proposalAnswerV1Data, toNext: firstAnswer } },
  ProposalAccepted: { 1: { data: proposalAnswerV1Data, toNext: firstAnswer } },
};

/**
 * An answer v1 → v2, unchanged: v1 deciders let an addressee answer once (again only after a
 * retraction, when no answer of its stood), so every v1 answer superseded none, which v2 says by
 * leaving `supersedes` out.
 */
function firstAnswer(data: Record<string, unknown>): Record<string, unknown> {
  return data;
}

/** An event this code cannot read: a newer writer recorded it, or a past version lost its upcaster. */
export class UnknownSchemaVersion extends Error {
  constructor(readonly type: string, readonly schemaVersion: unknown, reason: string) {
    super(`${type} v${String(schemaVersion)}: ${reason}`);
    this.name = 'UnknownSchemaVersion';
  }
}

/** Past versions by type and version, as `pastSchemaVersions` holds them. */
export type PastVersions = Readonly<Record<string, Readonly<Record<number, PastVersion>> | undefined>>;

/**
 * The event at the current version of its type, through each past version's upcaster in turn.
 * A type this code does not know is returned as it is: a reader ignores types it does not handle.
 * Pure and deterministic, so a replay upcasts the same event to the same data every time.
 */
export function upcast(event: VersionedEvent): VersionedEvent {
  return upcastWith(event, pastSchemaVersions, currentSchemaVersion);
}

/** `upcast` over a given registry and current versions: how its chaining is tested. */
export function upcastWith(event: VersionedEvent, past: PastVersions, current: Readonly<Record<string, number>>): VersionedEvent {
  const { type, schemaVersion, data } = event;
  if (!Object.hasOwn(current, type)) return { type, schemaVersion, data };
  const currentVersion = current[type]!;
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1) {
    throw new UnknownSchemaVersion(type, schemaVersion, 'a schema version is a whole number from 1');
  }
  if (schemaVersion > currentVersion) {
    throw new UnknownSchemaVersion(type, schemaVersion,
      `newer than this code knows (v${currentVersion}); readers must be deployed before the writers of a new version`);
  }
  let version = schemaVersion;
  let upcastData = data;
  while (version < currentVersion) {
    const step = past[type]?.[version];
    if (!step) throw new UnknownSchemaVersion(type, version, `no upcaster to v${version + 1}`);
    upcastData = step.toNext(upcastData);
    version++;
  }
  return { type, schemaVersion: version, data: upcastData };
}

/** Every schema version of a type that events may have been recorded in: 1 to the current one. */
export function schemaVersionsOf(type: ChanceryEventType): number[] {
  return Array.from({ length: currentSchemaVersion[type] }, (_, index) => index + 1);
}

/**
 * A whole event as it was recorded at `version` of its type. Past versions differ from the current
 * one in their data only: the fields around it (occurredAt, sources, confidence) have not changed.
 */
export function domainEventSchemaAt(type: ChanceryEventType, version: number): z.ZodType {
  if (version === currentSchemaVersion[type]) return domainEventSchemas[type];
  const past = pastSchemaVersions[type]?.[version];
  if (!past) throw new UnknownSchemaVersion(type, version, 'no such version of this event type');
  return (domainEventSchemas[type] as z.ZodObject)
    .extend({ schemaVersion: z.literal(version), data: past.data })
    .meta({ $id: `https://chancery.dev/schemas/${type}.v${version}.json`, title: `${type} v${version}` });
}
