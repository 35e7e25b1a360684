// Event data coded elsewhere (ICEWS, GDELT) as Chancery takes it in: one source event becomes the
// import lines that register its actors and record it, with ids derived from the source's own, so
// the same file imported twice records nothing new.
import { cameoEntry } from '../shared/cameo.js';
import { type Source } from '../shared/development.js';
import { type PartyKind } from '../parties/party.events.js';

/** An actor of the source, as a party: `id` is stable across imports (derived from the source's naming of it). */
export type EventActor = { id: string; name: string; kind: PartyKind };

/** One source event, mapped: who did what (CAMEO) to whom, when, scored how, reported where. */
export type CodedEvent = {
  /** The development's id: `<dataset>-<the source's event id>`. */
  developmentId: string;
  occurredAt: string;
  actor: EventActor;
  target: EventActor;
  cameo: string;
  /** The source's own score, when it gives one. */
  goldstein?: number;
  summary: string;
  source: Source;
};

/** A row that cannot be a development, and why (reported on the row's line, never fatal). */
export type RowRefusal = { refused: string };

export type RowOutcome = CodedEvent | RowRefusal;

export const isRefusal = (outcome: RowOutcome): outcome is RowRefusal => 'refused' in outcome;

/** An NDJSON line of `POST /v1/import`. */
export type ImportLine = { command: string } & Record<string, unknown>;

const maxShortText = 300;
const maxIdLength = 128;

/** `Foreign Affairs (Bangladesh)` → `foreign-affairs-bangladesh`: lower case, accents dropped, anything else a dash. */
export function slug(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** An id within the id rules (128 characters); a longer one keeps its start and a hash of the whole, so it stays unique. */
export function boundedId(id: string): string {
  if (id.length <= maxIdLength) return id;
  let hash = 0x811c9dc5;
  for (const character of id) hash = Math.imul(hash ^ character.codePointAt(0)!, 0x01000193) >>> 0;
  const suffix = `-${hash.toString(16).padStart(8, '0')}`;
  return `${id.slice(0, maxIdLength - suffix.length)}${suffix}`;
}

export const shortened = (text: string, length = maxShortText): string => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

/** A source value, or undefined where the file marks none (`NA` in ICEWS, empty in GDELT). */
export const present = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' || trimmed === 'NA' ? undefined : trimmed;
};

/** Checks shared by every dataset once its row is read: a known code, a score on the scale, two distinct actors. */
export function checkedEvent(event: CodedEvent): RowOutcome {
  if (!cameoEntry(event.cameo) || event.cameo.length < 3) return { refused: `CAMEO code "${event.cameo}" is not an event code of the codebook` };
  if (event.goldstein !== undefined && !(event.goldstein >= -10 && event.goldstein <= 10)) {
    return { refused: `Goldstein score ${event.goldstein} is outside the scale (-10 to 10)` };
  }
  if (event.actor.id === event.target.id) return { refused: `${event.actor.name} acts on itself` };
  return event;
}

/**
 * The import lines of one event: a `RegisterParty` for each actor `isNew` says this import has not
 * registered yet (one already registered by an earlier import is refused as existing, which the
 * importer ignores), then its `RecordCodedDevelopment`.
 */
export function importLinesOf(event: CodedEvent, isNew: (partyId: string) => boolean): ImportLine[] {
  const lines: ImportLine[] = [];
  for (const party of [event.actor, event.target]) {
    if (isNew(party.id)) lines.push({ command: 'RegisterParty', id: party.id, name: party.name, kind: party.kind });
  }
  lines.push({
    command: 'RecordCodedDevelopment',
    id: event.developmentId,
    by: event.actor.id,
    to: [event.target.id],
    cameo: event.cameo,
    ...(event.goldstein === undefined ? {} : { goldstein: event.goldstein }),
    summary: event.summary,
    occurredAt: event.occurredAt,
    sources: [event.source],
    confidence: 'reported',
  });
  return lines;
}
