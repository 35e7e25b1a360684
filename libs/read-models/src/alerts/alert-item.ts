// One alert as every consumer sees it: the API's items, the webhook body, the Kafka value and the
// live stream's `event: alert` all carry this JSON, built from the row in one place.
import type { Severity } from '#domain';
import type { AlertRuleKind } from './alert-rule.js';

export type AlertItem = {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: AlertRuleKind;
  severity: Severity;
  /** When the alerter raised it (ISO-8601 UTC). */
  triggeredAt: string;
  /** Valid time of the trigger: the development's `occurredAt`, the day of a crossing or surge, a demand's deadline. */
  occurredAt: string;
  eventIds: string[];
  parties: string[];
  summary: string;
  /** What the rule measured, by kind (docs/adr/0006-alerts.md). */
  details: Record<string, unknown>;
};

export const alertColumns = 'id, rule_id, rule_name, kind, severity, triggered_at, occurred_at, event_ids, parties, summary, details';

export type AlertRow = {
  id: string;
  rule_id: string;
  rule_name: string;
  kind: AlertRuleKind;
  severity: Severity;
  triggered_at: Date;
  occurred_at: string;
  event_ids: string[];
  parties: string[];
  summary: string;
  details: Record<string, unknown>;
};

export function alertItemOf(row: AlertRow): AlertItem {
  return {
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    kind: row.kind,
    severity: row.severity,
    triggeredAt: row.triggered_at.toISOString(),
    occurredAt: row.occurred_at,
    eventIds: row.event_ids,
    parties: row.parties,
    summary: row.summary,
    details: row.details,
  };
}

/** NOTIFY channel of the live stream's `event: alert`: the alert's JSON, sent as it commits. */
export const alertChannel = 'chancery_alert';
