// The timeline's filters, as the API takes them and as a live development is checked against them (pure, unit-tested).
import type { LiveDevelopment } from '../api/live-stream.js';

export type TimelineFilter = { party?: string; issue?: string; type?: string; from?: string; to?: string };

export const filterOf = (params: URLSearchParams): TimelineFilter => ({
  party: params.get('party') || undefined,
  issue: params.get('issue') || undefined,
  type: params.get('type') || undefined,
  from: params.get('from') || undefined,
  to: params.get('to') || undefined,
});

/** The days are whole UTC days: `to` includes its day, as a reader of "to 12 January" means. */
export function apiQuery(filter: TimelineFilter): Record<string, string | undefined> {
  return { ...filter, to: filter.to ? `${filter.to}T23:59:59.999Z` : undefined };
}

/** Whether a development heard live belongs on the page as filtered (the party is filtered by the stream itself). */
export function selects(filter: TimelineFilter, development: LiveDevelopment): boolean {
  if (filter.party && !development.parties.includes(filter.party)) return false;
  if (filter.issue && development.issue !== filter.issue) return false;
  // A retraction changes the development it retracts, whatever that one's type.
  if (filter.type && development.type !== filter.type && development.type !== 'EventRetracted') return false;
  const day = development.occurredAt.slice(0, 10);
  if (filter.from && day < filter.from) return false;
  if (filter.to && day > filter.to) return false;
  return true;
}
