// `surge` rules, ACLED-style: the matching developments of a window against the baseline's
// average per window (docs/adr/0006-alerts.md).
//
// For a UTC day D, with a window of W days and a baseline of B days:
//   count(D)    = matching developments on days D−W+1 … D,
//   baseline(D) = matching developments on the B days before the window, D−W−B+1 … D−W,
//   average(D)  = baseline(D) · W / B   (what a window held on average),
//   surging(D)  = average(D) ≥ minBaseline  and  count(D) ≥ (1 + increase) · average(D).
// An alert fires on a day D with a matching development when D is surging and D−1 was not: once
// per surge, not once per development during it. Compared in exact decimals, so "exactly met" is met.
import type pg from 'pg';
import { severities } from '#domain';
import { type AlertRule, daysOf, type DevelopmentMatch } from '#read-models';
import type { BatchChanges } from './development-facts.js';
import { matchesDevelopment, recordedSince } from './event-rules.js';
import type { NewAlert } from './raise-alerts.js';

type SurgeRule = Extract<AlertRule, { kind: 'surge' }>;

type Day = {
  day: string;
  count: number;
  baseline: number;
  surging: boolean;
  was_surging: boolean;
  average: string;
  event_ids: string[];
  parties: string[];
  last_recorded_at: Date;
};

/** SQL conditions on alerter_developments for a match; their values are pushed onto `params`. */
export function matchConditions(match: DevelopmentMatch, params: unknown[]): string {
  const param = (value: unknown) => `$${params.push(value)}`;
  const conditions = ['NOT retracted'];
  if (match.types) conditions.push(`type = ANY(${param(match.types)}::text[])`);
  if (match.parties) conditions.push(`parties && ${param(match.parties)}::text[]`);
  if (match.issues) conditions.push(`issues && ${param(match.issues)}::text[]`);
  if (match.minSeverity) conditions.push(`severity_rank >= ${param(severities.indexOf(match.minSeverity))}`);
  if (match.cameoRoots) conditions.push(`cameo_root = ANY(${param(match.cameoRoots)}::text[])`);
  return conditions.join(' AND ');
}

function daysSql(rule: SurgeRule, touchedDays: string[], params: unknown[]): string {
  const param = (value: unknown) => `$${params.push(value)}`;
  const window = param(daysOf(rule.window));
  const baseline = param(daysOf(rule.baseline));
  // As text, so the comparison is in exact decimals: 1.1 × 40 is 44, not 44.000000000000007.
  const increase = param(String(rule.increase));
  const minBaseline = param(String(rule.minBaseline));
  const touched = param(touchedDays);
  const surging = (count: string, base: string) =>
    `(${base} * ${window}::int >= ${minBaseline}::numeric * ${baseline}::int
      AND ${count} * ${baseline}::int >= (1 + ${increase}::numeric) * ${base} * ${window}::int)`;
  return `
    WITH touched AS (
      SELECT DISTINCT x FROM unnest(${touched}::date[]) AS x
    ), matching AS (
      SELECT event_id, day, parties, recorded_at, global_position FROM alerter_developments
      WHERE ${matchConditions(rule.match, params)}
        AND day > (SELECT min(x) FROM touched) - ${window}::int - ${baseline}::int - 1
        AND day <= (SELECT max(x) FROM touched) + ${window}::int + ${baseline}::int
    ), candidates AS (
      SELECT DISTINCT m.day FROM matching m JOIN touched t ON m.day >= t.x AND m.day <= t.x + ${window}::int + ${baseline}::int
    ), counted AS (
      SELECT c.day,
        count(*) FILTER (WHERE m.day > c.day - ${window}::int) AS count,
        count(*) FILTER (WHERE m.day <= c.day - ${window}::int AND m.day > c.day - ${window}::int - ${baseline}::int) AS baseline,
        count(*) FILTER (WHERE m.day > c.day - 1 - ${window}::int AND m.day <= c.day - 1) AS previous_count,
        count(*) FILTER (WHERE m.day <= c.day - 1 - ${window}::int AND m.day > c.day - 1 - ${window}::int - ${baseline}::int) AS previous_baseline,
        array_agg(m.event_id ORDER BY m.global_position) FILTER (WHERE m.day = c.day) AS event_ids,
        max(m.recorded_at) FILTER (WHERE m.day = c.day) AS last_recorded_at
      FROM candidates c JOIN matching m ON m.day > c.day - 1 - ${window}::int - ${baseline}::int AND m.day <= c.day
      GROUP BY c.day
    )
    SELECT to_char(day, 'YYYY-MM-DD') AS day, count::int, baseline::int,
      ${surging('count', 'baseline')} AS surging,
      ${surging('previous_count', 'previous_baseline')} AS was_surging,
      round(baseline::numeric * ${window}::int / ${baseline}::int, 2)::text AS average,
      event_ids,
      ARRAY(SELECT DISTINCT p FROM matching m, unnest(m.parties) AS p WHERE m.day = counted.day ORDER BY p) AS parties,
      last_recorded_at
    FROM counted ORDER BY day`;
}

export async function surgeAlerts(tx: pg.PoolClient, rules: AlertRule[], changes: BatchChanges): Promise<NewAlert[]> {
  const alerts: NewAlert[] = [];
  for (const rule of rules) {
    if (rule.kind !== 'surge') continue;
    const touchedDays = [...new Set(changes.developments.filter((fact) => matchesDevelopment(rule.match, fact)).map((fact) => fact.day))];
    if (touchedDays.length === 0) continue;
    const params: unknown[] = [];
    const { rows } = await tx.query<Day>(daysSql(rule, touchedDays, params), params);
    alerts.push(...rows.filter((day) => day.surging && !day.was_surging && recordedSince(rule, day.last_recorded_at))
      .map((day) => surgeAlert(rule, day)));
  }
  return alerts;
}

function surgeAlert(rule: SurgeRule, day: Day): NewAlert {
  const average = Number(day.average);
  const rise = average > 0 ? Math.round((day.count / average - 1) * 100) : null;
  return {
    rule,
    triggerKey: `surge:${day.day}`,
    occurredAt: day.day,
    eventIds: day.event_ids,
    parties: rule.match.parties ?? day.parties,
    summary: `${day.count} matching developments in the ${daysOf(rule.window)} days to ${day.day}, against ${average} per ${rule.window} `
      + `in the ${daysOf(rule.baseline)} days before${rise === null ? '' : ` (+${rise}%)`}`,
    details: {
      day: day.day, window: rule.window, baseline: rule.baseline, count: day.count, baselineCount: day.baseline,
      baselineAverage: average, increase: rule.increase, minBaseline: rule.minBaseline,
    },
  };
}
