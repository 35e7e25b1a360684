// Stores what the rules found, in the caller's transaction: each alert once (its id is derived from
// rule and trigger), a webhook delivery for each alert actually new, and a NOTIFY for the live stream.
import type pg from 'pg';
import { type AlertItem, alertChannel, alertColumns, alertId, alertItemOf, type AlertRow, type AlertRule } from '#read-models';

/** What a rule found; the id follows from the rule and the trigger key. */
export type NewAlert = {
  rule: AlertRule;
  triggerKey: string;
  occurredAt: string;
  eventIds: string[];
  parties: string[];
  summary: string;
  details: Record<string, unknown>;
};

const summaryLimit = 1000;
const eventIdLimit = 50;
/** Postgres refuses a NOTIFY payload of 8000 bytes or more; the failing NOTIFY would fail the batch. */
const notifyLimit = 7_900;

/**
 * The live stream's copy of an alert. One with very many parties or events is cut down and marked
 * `truncated`: the stream is a prompt to read GET /v1/alerts/{id}, which has it whole.
 */
export function notificationOf(alert: AlertItem): string {
  const whole = JSON.stringify(alert);
  if (Buffer.byteLength(whole) < notifyLimit) return whole;
  return JSON.stringify({
    ...alert, parties: alert.parties.slice(0, 10), eventIds: alert.eventIds.slice(0, 10), summary: alert.summary.slice(0, 300),
    details: {}, truncated: true,
  });
}

/** The alerts that were new (in input order); the rest were raised before and change nothing. */
export async function raiseAlerts(tx: pg.PoolClient, found: NewAlert[]): Promise<AlertItem[]> {
  const byId = new Map(found.map((alert) => [alertId(alert.rule.id, alert.triggerKey), alert]));
  if (byId.size === 0) return [];
  const alerts = [...byId.entries()];
  const column = <T>(value: (alert: NewAlert, id: string) => T) => alerts.map(([id, alert]) => value(alert, id));
  const { rows } = await tx.query<AlertRow>(
    `INSERT INTO alerts (id, rule_id, rule_name, kind, severity, trigger_key, occurred_at, event_ids, parties, summary, details)
     SELECT u.id, u.rule_id, u.rule_name, u.kind, u.severity, u.trigger_key, u.occurred_at,
       ARRAY(SELECT jsonb_array_elements_text(u.event_ids::jsonb))::uuid[], ARRAY(SELECT jsonb_array_elements_text(u.parties::jsonb)),
       u.summary, u.details::jsonb
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
       WITH ORDINALITY AS u(id, rule_id, rule_name, kind, severity, trigger_key, occurred_at, event_ids, parties, summary, details, n)
     ORDER BY u.n
     ON CONFLICT DO NOTHING
     RETURNING ${alertColumns}`,
    [column((_, id) => id), column((alert) => alert.rule.id), column((alert) => alert.rule.name), column((alert) => alert.rule.kind),
      column((alert) => alert.rule.severity), column((alert) => alert.triggerKey), column((alert) => alert.occurredAt),
      column((alert) => JSON.stringify(alert.eventIds.slice(0, eventIdLimit))), column((alert) => JSON.stringify(alert.parties)),
      column((alert) => alert.summary.slice(0, summaryLimit)), column((alert) => JSON.stringify(alert.details))]);
  if (rows.length === 0) return [];

  const raised = rows.map(alertItemOf);
  const withWebhook = raised.filter((alert) => byId.get(alert.id)!.rule.hasWebhook).map((alert) => alert.id);
  if (withWebhook.length > 0) {
    // The URL is the rule's as the alert is raised; each attempt uses the rule's webhook as it is then.
    await tx.query(
      `INSERT INTO webhook_deliveries (alert_id, rule_id, url, status, next_attempt_at)
       SELECT a.id, r.id, r.webhook_url, 'pending', clock_timestamp()
       FROM alerts a JOIN alert_rules r ON r.id = a.rule_id
       WHERE a.id = ANY($1::uuid[]) AND r.webhook_url IS NOT NULL
       ON CONFLICT (alert_id) DO NOTHING`, [withWebhook]);
  }
  // Delivered at commit: the live stream, and the alerter's own delivery and publishing loops.
  await tx.query(`SELECT pg_notify('${alertChannel}', payload) FROM unnest($1::text[]) AS payload`,
    [raised.map(notificationOf)]);
  return raised;
}
