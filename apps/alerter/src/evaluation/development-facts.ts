// The alerter's own record of the developments it has seen, kept in its batch transaction: rules
// that count (surge), score (tension) or wait (unanswered demands) evaluate against it, never
// against the projector's read models, which may be behind or ahead of the alerter.
import type pg from 'pg';
import { cameoOf, type ChanceryEvent, counterpartPairs, partiesOf } from '#domain';
import { columns, insertRows, instant, type ProjectedEvent } from '#read-models';
import { type DevelopmentType, developmentTypes, severityRank, summaryOf } from '#read-models';

/** A development as rules match it. */
export type DevelopmentFact = {
  eventId: string;
  type: DevelopmentType;
  day: string;
  parties: string[];
  issues: string[];
  severityRank: number | null;
  demandId: string | null;
  /** The root of its CAMEO code; null for a development without one (a withdrawal). */
  cameoRoot: string | null;
};

/** What a batch changed: the developments added or retracted, the pair days they touch, the demands. */
export type BatchChanges = {
  developments: DevelopmentFact[];
  pairDays: Array<{ partyA: string; partyB: string; day: string }>;
  demandIds: string[];
};

const isDevelopment = (event: ProjectedEvent): boolean => (developmentTypes as readonly string[]).includes(event.type);

/** The UTC day of a valid time: a bare date is that day, a timestamp is moved to UTC first (as the relations projection does). */
export function utcDay(occurredAt: string): string {
  return new Date(occurredAt).toISOString().slice(0, 10);
}

export function issuesOf(event: ChanceryEvent): string[] {
  const data = event.data as { issue?: string; issues?: string[] };
  return data.issue !== undefined ? [data.issue] : data.issues ?? [];
}

export function factOf(event: ProjectedEvent): DevelopmentFact {
  const data = event.data as { severity?: 'low' | 'medium' | 'high' | 'critical'; demandId?: string };
  return {
    eventId: event.eventId,
    type: event.type as DevelopmentType,
    day: utcDay(event.occurredAt),
    parties: partiesOf(event),
    issues: issuesOf(event),
    severityRank: event.type === 'WarningGiven' && data.severity ? severityRank(data.severity) : null,
    demandId: data.demandId ?? null,
    cameoRoot: cameoOf(event)?.root ?? null,
  };
}

/**
 * Stores the batch's developments and pair contributions (idempotently: a replay finds them there)
 * and flags what the batch retracts. Every development of the batch counts as changed, new or not,
 * so a replay evaluates the same rules on the same days and finds the alerts already raised.
 */
export async function recordDevelopments(tx: pg.PoolClient, events: ProjectedEvent[]): Promise<BatchChanges> {
  const developments = events.filter(isDevelopment);
  await insertRows(tx, 'alerter_developments', columns(
    'event_id uuid', 'stream_id text', 'global_position bigint', 'type text', 'occurred_at text', 'occurred_ts timestamptz',
    'day date', 'recorded_at timestamptz', 'parties text[]', 'issues text[]', 'severity_rank int2', 'actor text', 'demand_id text',
    'addressed_to text[]', 'summary text', 'cameo_root text',
  ), developments.map((event) => {
    const fact = factOf(event);
    const data = event.data as { by?: string; addressedTo?: string[] };
    return [event.eventId, event.streamId, event.globalPosition, event.type, event.occurredAt, instant(event.occurredAt), fact.day,
      event.recordedAt, fact.parties, fact.issues, fact.severityRank, data.by ?? null, fact.demandId,
      event.type === 'DemandIssued' ? data.addressedTo ?? [] : null, summaryOf(event).slice(0, 1000), fact.cameoRoot];
  }), 'ON CONFLICT (event_id) DO NOTHING');

  // Scored as the relations projection scores them (ADR 0003): one contribution per pair a development counts for.
  const contributions = developments.flatMap((event) => {
    const cameo = cameoOf(event);
    if (!cameo) return [];
    return counterpartPairs(event).map(([partyA, partyB]) =>
      [event.eventId, partyA, partyB, utcDay(event.occurredAt), cameo.goldstein, event.recordedAt, event.globalPosition]);
  });
  await insertRows(tx, 'alerter_pair_contributions', columns(
    'event_id uuid', 'party_a text', 'party_b text', 'day date', 'goldstein numeric', 'recorded_at timestamptz', 'global_position bigint',
  ), contributions, 'ON CONFLICT (event_id, party_a, party_b) DO NOTHING');

  const pairDays = contributions.map(([, partyA, partyB, day]) => ({ partyA: partyA as string, partyB: partyB as string, day: day as string }));
  const changed = developments.map(factOf);

  const retracted = events.filter((event) => event.type === 'EventRetracted')
    .map((event) => (event.data as { retractedEventId: string }).retractedEventId);
  if (retracted.length > 0) {
    const facts = await tx.query<{
      event_id: string; type: DevelopmentType; day: string; parties: string[]; issues: string[]; severity_rank: number | null;
      demand_id: string | null; cameo_root: string | null;
    }>(
      `UPDATE alerter_developments SET retracted = true WHERE event_id = ANY($1::uuid[])
       RETURNING event_id, type, to_char(day, 'YYYY-MM-DD') AS day, parties, issues, severity_rank, demand_id, cameo_root`, [retracted]);
    changed.push(...facts.rows.map((row) => ({
      eventId: row.event_id, type: row.type, day: row.day, parties: row.parties, issues: row.issues,
      severityRank: row.severity_rank, demandId: row.demand_id, cameoRoot: row.cameo_root,
    })));
    const pairs = await tx.query<{ party_a: string; party_b: string; day: string }>(
      `UPDATE alerter_pair_contributions SET retracted = true WHERE event_id = ANY($1::uuid[])
       RETURNING party_a, party_b, to_char(day, 'YYYY-MM-DD') AS day`, [retracted]);
    pairDays.push(...pairs.rows.map((row) => ({ partyA: row.party_a, partyB: row.party_b, day: row.day })));
  }

  const demandIds = [...new Set(changed.map((fact) => fact.demandId).filter((id): id is string => id !== null))];
  return { developments: changed, pairDays, demandIds };
}
