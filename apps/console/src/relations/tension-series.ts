// A pair's tension index as of each of its days, for the chart: the same rule as the API's
// `tension7d`/`tension30d` (ADR 0003), so the last point of each line is the API's figure.
export type RelationDay = { date: string; events: number; goldsteinSum: number; cooperation: number; conflict: number };

export type Relation = { parties: [string, string]; days: RelationDay[]; tension7d: number | null; tension30d: number | null };

const dayMs = 86_400_000;

/** Two decimals, halves away from zero, as Postgres rounds a numeric. */
export function roundAsPostgres(value: number): number {
  const rounded = Math.round(Math.abs(value) * 100 + 1e-9) / 100;
  return value < 0 ? -rounded : rounded;
}

/**
 * For each day listed (oldest first), over the `windowDays` UTC days ending on it: −(sum of
 * Goldstein scores) / (number of scored developments). Positive is conflictual. A day's own window
 * ends on it because it is the pair's latest development as of that day.
 */
export function tensionSeries(days: RelationDay[], windowDays: number): Array<number | null> {
  const series: Array<number | null> = [];
  let start = 0;
  let goldstein = 0;
  let events = 0;
  for (const day of days) {
    const end = Date.parse(`${day.date}T00:00:00Z`);
    goldstein += day.goldsteinSum;
    events += day.events;
    while (Date.parse(`${days[start]!.date}T00:00:00Z`) <= end - windowDays * dayMs) {
      goldstein -= days[start]!.goldsteinSum;
      events -= days[start]!.events;
      start++;
    }
    series.push(events > 0 ? roundAsPostgres(-goldstein / events) : null);
  }
  return series;
}

/** How to read a tension figure in words. */
export function tensionWords(tension: number | null): string {
  if (tension === null) return 'no scored development in the window';
  if (tension > 0) return 'conflictual';
  if (tension < 0) return 'cooperative';
  return 'neutral';
}
