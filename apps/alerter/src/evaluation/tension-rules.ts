// `tension` rules: the pair's tension index, day by day, crossing a threshold (docs/adr/0006-alerts.md).
//
// The index of day D is ADR 0003's, exactly as GET /v1/relations/{a}/{b}?to=D gives it: over the
// N UTC days ending at D, −(sum of Goldstein scores) / (number of scored developments), rounded to
// two decimals. The series is read on the pair's active days (days with a development); a crossing
// happens on active day D when D's index and the previous active day's index lie on different
// sides of the threshold ("at or above" is one side, "below or no index" the other). Each crossing
// is one alert, `tension:<D>:<up|down>`: it depends on the developments' valid time only, so a
// redelivered or replayed batch finds the same crossings.
import type pg from 'pg';
import type { AlertRule } from '#read-models';
import type { BatchChanges } from './development-facts.js';
import { recordedSince } from './event-rules.js';
import type { NewAlert } from './raise-alerts.js';

type TensionRule = Extract<AlertRule, { kind: 'tension' }>;

type Point = {
  day: string;
  previous_day: string | null;
  tension: number;
  previous_tension: number | null;
  event_ids: string[];
  last_recorded_at: Date;
};

/**
 * The active days whose crossing a change on day X can move: those whose window holds X
 * (X … X+N−1), and the first active day after them, whose previous active day may be among them.
 */
const pointsSql = `
  WITH pair AS (
    SELECT event_id, day, goldstein, recorded_at, global_position FROM alerter_pair_contributions
    WHERE party_a = $1 AND party_b = $2 AND NOT retracted
  ), active AS (
    SELECT DISTINCT day FROM pair
  ), touched AS (
    SELECT DISTINCT x FROM unnest($3::date[]) AS x
  ), candidates AS (
    SELECT a.day FROM active a WHERE EXISTS (SELECT 1 FROM touched t WHERE a.day >= t.x AND a.day < t.x + $4::int)
    UNION
    SELECT (SELECT min(a.day) FROM active a WHERE a.day >= t.x + $4::int) FROM touched t
  ), points AS (
    SELECT c.day, (SELECT max(a.day) FROM active a WHERE a.day < c.day) AS previous_day FROM candidates c WHERE c.day IS NOT NULL
  )
  SELECT to_char(p.day, 'YYYY-MM-DD') AS day, to_char(p.previous_day, 'YYYY-MM-DD') AS previous_day,
    (SELECT round(-sum(q.goldstein) / count(*), 2)::float8 FROM pair q WHERE q.day > p.day - $4::int AND q.day <= p.day) AS tension,
    (SELECT round(-sum(q.goldstein) / count(*), 2)::float8 FROM pair q
      WHERE q.day > p.previous_day - $4::int AND q.day <= p.previous_day) AS previous_tension,
    (SELECT array_agg(q.event_id ORDER BY q.global_position) FROM pair q WHERE q.day = p.day) AS event_ids,
    (SELECT max(q.recorded_at) FROM pair q WHERE q.day = p.day) AS last_recorded_at
  FROM points p ORDER BY p.day`;

const windowDays = { '7d': 7, '30d': 30 } as const;

export async function tensionAlerts(tx: pg.PoolClient, rules: AlertRule[], changes: BatchChanges): Promise<NewAlert[]> {
  const alerts: NewAlert[] = [];
  for (const rule of rules) {
    if (rule.kind !== 'tension') continue;
    const [partyA, partyB] = rule.pair[0] < rule.pair[1] ? rule.pair : [rule.pair[1], rule.pair[0]];
    const touchedDays = [...new Set(changes.pairDays.filter((touch) => touch.partyA === partyA && touch.partyB === partyB).map((touch) => touch.day))];
    if (touchedDays.length === 0) continue;
    const { rows } = await tx.query<Point>(pointsSql, [partyA, partyB, touchedDays, windowDays[rule.window]]);
    alerts.push(...rows.flatMap((point) => crossing(rule, point)));
  }
  return alerts;
}

function crossing(rule: TensionRule, point: Point): NewAlert[] {
  const above = (value: number | null) => value !== null && value >= rule.threshold;
  if (above(point.previous_tension) === above(point.tension)) return [];
  // A crossing on a day whose developments were all recorded before the rule existed is history.
  if (!recordedSince(rule, point.last_recorded_at)) return [];
  const direction = above(point.tension) ? 'up' : 'down';
  const was = point.previous_tension === null ? 'no index before' : `was ${point.previous_tension} on ${point.previous_day}`;
  return [{
    rule,
    triggerKey: `tension:${point.day}:${direction}`,
    occurredAt: point.day,
    eventIds: point.event_ids,
    parties: [...rule.pair],
    summary: `${rule.pair[0]}–${rule.pair[1]} ${rule.window} tension ${direction === 'up' ? 'rose' : 'fell'} to ${point.tension} on ${point.day}, `
      + `crossing ${rule.threshold} (${was})`,
    details: {
      pair: rule.pair, window: rule.window, threshold: rule.threshold, direction, day: point.day, tension: point.tension,
      previousDay: point.previous_day, previousTension: point.previous_tension,
    },
  }];
}
