// One alert, and the log of its webhook delivery: every attempt with its answer.
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import pg from 'pg';
import { PG_POOL, ProblemError } from '#platform';
import { type AlertListItem, alertListItemOf, type AlertWithDeliveryRow, alertWithDeliverySql } from './list-alerts.query.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function notFound(id: string): ProblemError {
  return ProblemError.of(404, 'not-found', `No alert has the id "${id}".`);
}

export class GetAlert extends Query<AlertListItem> {
  constructor(readonly id: string) {
    super();
  }
}

@QueryHandler(GetAlert)
export class GetAlertHandler implements IQueryHandler<GetAlert, AlertListItem> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ id }: GetAlert): Promise<AlertListItem> {
    if (!uuid.test(id)) throw notFound(id);
    const { rows } = await this.pool.query<AlertWithDeliveryRow>(`${alertWithDeliverySql} WHERE a.id = $1`, [id]);
    if (!rows[0]) throw notFound(id);
    return alertListItemOf(rows[0]);
  }
}

export type DeliveryAttempt = { attempt: number; url: string; at: string; durationMs: number; responseCode: number | null; error: string | null };

export type AlertDelivery = {
  alertId: string;
  ruleId: string;
  url: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  responseCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  log: DeliveryAttempt[];
};

/** An alert's webhook deliveries: one per alert whose rule has a webhook, none otherwise. */
export class ListAlertDeliveries extends Query<{ items: AlertDelivery[]; nextCursor: null }> {
  constructor(readonly id: string) {
    super();
  }
}

type DeliveryRow = {
  alert_id: string; rule_id: string; url: string; status: AlertDelivery['status']; attempts: number; response_code: number | null;
  last_error: string | null; next_attempt_at: Date | null; created_at: Date; delivered_at: Date | null;
  log: Array<{ attempt: number; url: string; at: string; durationMs: number; responseCode: number | null; error: string | null }>;
};

@QueryHandler(ListAlertDeliveries)
export class ListAlertDeliveriesHandler implements IQueryHandler<ListAlertDeliveries, { items: AlertDelivery[]; nextCursor: null }> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ id }: ListAlertDeliveries): Promise<{ items: AlertDelivery[]; nextCursor: null }> {
    if (!uuid.test(id)) throw notFound(id);
    const { rows } = await this.pool.query<DeliveryRow>(
      `SELECT d.*,
         coalesce((SELECT json_agg(json_build_object('attempt', t.attempt, 'url', t.url,
                     'at', to_char(t.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'durationMs', t.duration_ms,
                     'responseCode', t.response_code, 'error', t.error) ORDER BY t.attempt)
                   FROM webhook_delivery_attempts t WHERE t.alert_id = d.alert_id), '[]'::json) AS log
       FROM alerts a LEFT JOIN webhook_deliveries d ON d.alert_id = a.id WHERE a.id = $1`, [id]);
    if (rows.length === 0) throw notFound(id);
    const items = rows.filter((row) => row.alert_id !== null).map((row): AlertDelivery => ({
      alertId: row.alert_id,
      ruleId: row.rule_id,
      url: row.url,
      status: row.status,
      attempts: row.attempts,
      responseCode: row.response_code,
      lastError: row.last_error,
      nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
      createdAt: row.created_at.toISOString(),
      deliveredAt: row.delivered_at?.toISOString() ?? null,
      log: row.log,
    }));
    return { items, nextCursor: null };
  }
}
