// GET /v1/alerts: newest first, with each alert's webhook delivery as it stands.
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import pg from 'pg';
import { z } from 'zod';
import { severities } from '#domain';
import { PG_POOL, ProblemError } from '#platform';
import { decodeCursor, limitSchema, type Page, pageOf, timeParam } from '../shared/list-query.js';
import { type AlertItem, alertItemOf, type AlertRow } from '#read-models';

export const alertsQuery = z.strictObject({
  /** Alerts raised at or after this instant. */
  since: timeParam.optional(),
  severity: z.enum(severities).optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

/** A webhook delivery's state; `null` on an alert whose rule has no webhook. */
export type DeliveryState = {
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  responseCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
};

export type AlertListItem = AlertItem & { delivery: DeliveryState | null };

export class ListAlerts extends Query<Page<AlertListItem>> {
  constructor(readonly filter: z.infer<typeof alertsQuery>) {
    super();
  }
}

export type AlertWithDeliveryRow = AlertRow & {
  seq: string;
  status: DeliveryState['status'] | null;
  attempts: number | null;
  response_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
};

export const alertWithDeliverySql = `
  SELECT a.id, a.seq, a.rule_id, a.rule_name, a.kind, a.severity, a.triggered_at, a.occurred_at, a.event_ids, a.parties, a.summary,
    a.details, d.status, d.attempts, d.response_code, d.last_error, d.next_attempt_at, d.delivered_at
  FROM alerts a LEFT JOIN webhook_deliveries d ON d.alert_id = a.id`;

export function alertListItemOf(row: AlertWithDeliveryRow): AlertListItem {
  return {
    ...alertItemOf(row),
    delivery: row.status === null ? null : {
      status: row.status,
      attempts: row.attempts!,
      responseCode: row.response_code,
      lastError: row.last_error,
      nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
      deliveredAt: row.delivered_at?.toISOString() ?? null,
    },
  };
}

@QueryHandler(ListAlerts)
export class ListAlertsHandler implements IQueryHandler<ListAlerts, Page<AlertListItem>> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ filter }: ListAlerts): Promise<Page<AlertListItem>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filter.since) where.push(`a.triggered_at >= ${param(filter.since)}::timestamptz`);
    if (filter.severity) where.push(`a.severity = ${param(filter.severity)}`);
    const after = decodeCursor(filter.cursor, 1);
    if (after) {
      if (typeof after[0] !== 'string' || !/^\d{1,18}$/.test(after[0])) {
        throw ProblemError.of(400, 'invalid-cursor', 'The cursor is not one this API handed out.', {
          errors: [{ path: 'cursor', message: 'not a cursor from a previous page' }],
        });
      }
      where.push(`a.seq < ${param(after[0])}::bigint`);
    }
    // Newest first by the order the alerter stored them in.
    const { rows } = await this.pool.query<AlertWithDeliveryRow>(
      `${alertWithDeliverySql} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY a.seq DESC LIMIT ${param(filter.limit + 1)}`, params);
    return pageOf(rows, filter.limit, alertListItemOf, (row) => [row.seq]);
  }
}
