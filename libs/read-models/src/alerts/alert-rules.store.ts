// The alert_rules table: written by the admin API, read by the alerter at every batch and sweep.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { type AlertRule, type AlertRuleDefinition, alertRuleDefinition, type WebhookTarget } from './alert-rule.js';

/** A rule as the API shows it: the webhook's secret is write-only. */
export type AlertRuleView = AlertRuleDefinition & {
  id: string;
  webhook: { url: string } | null;
  createdAt: string;
  updatedAt: string;
};

export type AlertRuleInput = { definition: AlertRuleDefinition; webhook?: WebhookTarget };

type Row = {
  id: string;
  definition: AlertRuleDefinition;
  webhook_url: string | null;
  created_at: Date;
  updated_at: Date;
};

const columns = 'id, definition, webhook_url, created_at, updated_at';

/** NOTIFY'd with a rule's id when it is created, replaced or deleted: the alerter re-checks overdue demands at once. */
export const alertRuleChannel = 'chancery_alert_rule';

/** Runs `statement` (which returns rule rows) and notifies the alerter of each rule it touched, in one statement. */
const notifying = (statement: string) => `WITH touched AS (${statement}) SELECT touched.*, pg_notify('${alertRuleChannel}', id::text) FROM touched`;

function viewOf(row: Row): AlertRuleView {
  return {
    id: row.id,
    ...row.definition,
    webhook: row.webhook_url === null ? null : { url: row.webhook_url },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function createAlertRule(db: pg.Pool | pg.PoolClient, input: AlertRuleInput): Promise<AlertRuleView> {
  const { rows } = await db.query<Row>(
    notifying(`INSERT INTO alert_rules (id, name, kind, severity, definition, webhook_url, webhook_secret)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${columns}`),
    [randomUUID(), input.definition.name, input.definition.kind, input.definition.severity, input.definition,
      input.webhook?.url ?? null, input.webhook?.secret ?? null]);
  return viewOf(rows[0]!);
}

/** Replaces a rule's definition and webhook; it keeps its id and `createdAt`, so what it already raised stays its own. */
export async function replaceAlertRule(db: pg.Pool, id: string, input: AlertRuleInput): Promise<AlertRuleView | null> {
  const { rows } = await db.query<Row>(
    notifying(`UPDATE alert_rules SET name = $2, kind = $3, severity = $4, definition = $5, webhook_url = $6, webhook_secret = $7,
       updated_at = date_trunc('milliseconds', clock_timestamp())
     WHERE id = $1 RETURNING ${columns}`),
    [id, input.definition.name, input.definition.kind, input.definition.severity, input.definition,
      input.webhook?.url ?? null, input.webhook?.secret ?? null]);
  return rows[0] ? viewOf(rows[0]) : null;
}

/** Deletes a rule; its alerts stay (they carry the rule's name), its pending deliveries die at their next attempt. */
export async function deleteAlertRule(db: pg.Pool, id: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM alert_rules WHERE id = $1', [id]);
  return rowCount === 1;
}

export async function getAlertRule(db: pg.Pool, id: string): Promise<AlertRuleView | null> {
  const { rows } = await db.query<Row>(`SELECT ${columns} FROM alert_rules WHERE id = $1`, [id]);
  return rows[0] ? viewOf(rows[0]) : null;
}

/** Oldest first; `after` is the (createdAt, id) of the previous page's last rule. */
export async function listAlertRules(db: pg.Pool, limit: number, after?: [string, string]): Promise<AlertRuleView[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${columns} FROM alert_rules
     WHERE $1::timestamptz IS NULL OR (created_at, id) > ($1::timestamptz, $2::uuid)
     ORDER BY created_at, id LIMIT $3`, [after?.[0] ?? null, after?.[1] ?? null, limit]);
  return rows.map(viewOf);
}

/**
 * Every rule, as the alerter evaluates it. A definition that no longer parses (written by a newer
 * version, or by hand) is left out rather than stopping every other rule.
 */
export async function loadAlertRules(db: pg.Pool | pg.PoolClient, onInvalid: (id: string, error: string) => void = () => {}): Promise<AlertRule[]> {
  const { rows } = await db.query<Row>(`SELECT ${columns} FROM alert_rules ORDER BY created_at, id`);
  return rows.flatMap((row) => {
    const parsed = alertRuleDefinition.safeParse(row.definition);
    if (!parsed.success) {
      onInvalid(row.id, parsed.error.message);
      return [];
    }
    return [{ ...parsed.data, id: row.id, createdAt: row.created_at, hasWebhook: row.webhook_url !== null }];
  });
}
