// `event` rules: one alert per matching development.
import { partiesOf, severities } from '#domain';
import type { ProjectedEvent } from '#read-models';
import { type AlertRule, type DevelopmentMatch, developmentTypes, summaryOf } from '#read-models';
import { type DevelopmentFact, factOf } from './development-facts.js';
import type { NewAlert } from './raise-alerts.js';

const intersects = (wanted: string[] | undefined, present: string[]) => !wanted || wanted.some((value) => present.includes(value));

export function matchesDevelopment(match: DevelopmentMatch, fact: DevelopmentFact): boolean {
  if (match.types && !match.types.includes(fact.type)) return false;
  if (match.minSeverity && (fact.severityRank === null || fact.severityRank < severities.indexOf(match.minSeverity))) return false;
  if (match.cameoRoots && (fact.cameoRoot === null || !match.cameoRoots.includes(fact.cameoRoot))) return false;
  return intersects(match.parties, fact.parties) && intersects(match.issues, fact.issues);
}

/**
 * A rule watches developments recorded from its creation on: a rule written today does not fire
 * for last year's history, and a replay, which sees the same recording times, fires exactly as
 * the live run did.
 */
export function recordedSince(rule: AlertRule, recordedAt: string | Date): boolean {
  return new Date(recordedAt).getTime() >= rule.createdAt.getTime();
}

export function eventAlerts(rules: AlertRule[], events: ProjectedEvent[]): NewAlert[] {
  const eventRules = rules.filter((rule) => rule.kind === 'event');
  if (eventRules.length === 0) return [];
  const developments = events.filter((event) => (developmentTypes as readonly string[]).includes(event.type));
  return developments.flatMap((event) => {
    const fact = factOf(event);
    return eventRules
      .filter((rule) => rule.kind === 'event' && recordedSince(rule, event.recordedAt) && matchesDevelopment(rule.match, fact))
      .map((rule): NewAlert => ({
        rule,
        triggerKey: `event:${event.eventId}`,
        occurredAt: event.occurredAt,
        eventIds: [event.eventId],
        parties: partiesOf(event),
        summary: `${event.type} (${partiesOf(event).join(', ')}): ${summaryOf(event)}`,
        details: { eventType: event.type, streamId: event.streamId, issues: fact.issues },
      }));
  });
}
