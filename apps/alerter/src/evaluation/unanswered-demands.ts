// `unanswered-demand` rules: a demand still open `afterDays` after it was issued.
//
// The deadline is the demand's `occurredAt` plus afterDays × 24 h. The demand counts as open at its
// deadline unless, by then in valid time, it was withdrawn or every addressee had answered (the
// answers and withdrawals the alerter knows, not retracted). It is evaluated when the wall clock
// passes the deadline — by a timer, so no new event is needed — and whenever an event touches the
// demand. One alert per (rule, demand): `demand:<id>`.
import type pg from 'pg';
import type { AlertRule } from '#read-models';
import type { NewAlert } from './raise-alerts.js';

type DemandRule = Extract<AlertRule, { kind: 'unanswered-demand' }>;

type OpenDemand = {
  event_id: string;
  demand_id: string;
  by: string;
  parties: string[];
  summary: string;
  issued_at: string;
  deadline: Date;
  unanswered: string[];
};

/** Enough for one pass; a sweep that hits it goes on with the next page at once. */
export const demandsPerPass = 500;

function openDemandsSql(rule: DemandRule, params: unknown[], demandIds: string[] | null, now: Date): string {
  const param = (value: unknown) => `$${params.push(value)}`;
  const deadline = `(i.occurred_ts + make_interval(hours => 24 * ${param(rule.afterDays)}::int))`;
  const conditions = [`i.type = 'DemandIssued'`, 'NOT i.retracted', `${deadline} <= ${param(now)}::timestamptz`];
  if (demandIds) conditions.push(`i.demand_id = ANY(${param(demandIds)}::text[])`);
  if (rule.match.parties) conditions.push(`i.parties && ${param(rule.match.parties)}::text[]`);
  if (rule.match.issues) conditions.push(`i.issues && ${param(rule.match.issues)}::text[]`);
  return `
    SELECT * FROM (
      SELECT i.event_id, i.demand_id, i.actor AS by, i.parties, i.summary, i.occurred_at AS issued_at, ${deadline} AS deadline,
        ARRAY(
          SELECT u.addressee FROM unnest(i.addressed_to) WITH ORDINALITY AS u(addressee, n)
          WHERE NOT EXISTS (
            SELECT 1 FROM alerter_developments a
            WHERE a.demand_id = i.demand_id AND a.type IN ('DemandRejected', 'DemandAccepted') AND NOT a.retracted
              AND a.actor = u.addressee AND a.occurred_ts <= ${deadline})
          ORDER BY u.n) AS unanswered
      FROM alerter_developments i
      WHERE ${conditions.join(' AND ')}
        AND NOT EXISTS (
          SELECT 1 FROM alerter_developments w
          WHERE w.demand_id = i.demand_id AND w.type = 'DemandWithdrawn' AND NOT w.retracted AND w.occurred_ts <= ${deadline})
        AND NOT EXISTS (SELECT 1 FROM alerts x WHERE x.rule_id = ${param(rule.id)}::uuid AND x.trigger_key = 'demand:' || i.demand_id)
    ) open WHERE cardinality(unanswered) > 0
    ORDER BY deadline, demand_id LIMIT ${demandsPerPass}`;
}

/** The alerts for demands past their deadline and open at it; all of them, or those of `demandIds`. */
export async function unansweredDemandAlerts(db: pg.PoolClient, rules: AlertRule[], now: Date, demandIds: string[] | null): Promise<NewAlert[]> {
  if (demandIds?.length === 0) return [];
  const alerts: NewAlert[] = [];
  for (const rule of rules) {
    if (rule.kind !== 'unanswered-demand') continue;
    const params: unknown[] = [];
    const { rows } = await db.query<OpenDemand>(openDemandsSql(rule, params, demandIds, now), params);
    alerts.push(...rows.map((demand) => demandAlert(rule, demand)));
  }
  return alerts;
}

function demandAlert(rule: DemandRule, demand: OpenDemand): NewAlert {
  const deadline = demand.deadline.toISOString();
  return {
    rule,
    triggerKey: `demand:${demand.demand_id}`,
    occurredAt: deadline,
    eventIds: [demand.event_id],
    parties: demand.parties,
    summary: `${demand.by}'s demand "${demand.summary}" was still unanswered by ${demand.unanswered.join(', ')} `
      + `${rule.afterDays} days after it was issued (${demand.issued_at})`,
    details: { demandId: demand.demand_id, issuedAt: demand.issued_at, afterDays: rule.afterDays, deadline, unansweredBy: demand.unanswered },
  };
}
