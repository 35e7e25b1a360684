// What an operator sees of a rebuild, as lines: the request, its progress as the stream reports it,
// and the moment the new generation is live (pure, unit-tested).
export type Overview = {
  name: string; version: number; codeVersion: number; status: string; live: boolean;
  lag: { events: number; seconds: number | null; partitions: Array<{ partition: number; events: number; oldestUnprocessedAgeSeconds: number | null }> };
  lastEventAt: string | null; eventsApplied: number; failures: number; swapMs: number | null;
  progress: { done: number; total: number; eventsPerSecond: number; etaSeconds: number | null } | null;
};

/** Lines for what changed between two reads of the projections: a generation that appeared, or whose status moved. */
export function statusChanges(before: Overview[], after: Overview[]): string[] {
  const previous = new Map(before.map((overview) => [`${overview.name}@${overview.version}`, overview]));
  const lines: string[] = [];
  for (const overview of after) {
    const earlier = previous.get(`${overview.name}@${overview.version}`);
    const progress = overview.progress ? `, ${overview.progress.done.toLocaleString('en')} of ${overview.progress.total.toLocaleString('en')} events` : '';
    if (!earlier) {
      lines.push(`${overview.name} generation ${overview.version}: ${overview.status}${progress}`);
    } else if (earlier.status !== overview.status || earlier.live !== overview.live) {
      lines.push(overview.live
        ? `${overview.name} generation ${overview.version} is live${overview.swapMs === null ? '' : ` (swapped in ${overview.swapMs} ms)`}`
        : `${overview.name} generation ${overview.version}: ${overview.status}${progress}`);
    }
  }
  for (const [id, earlier] of previous) {
    if (!after.some((overview) => `${overview.name}@${overview.version}` === id)) lines.push(`${earlier.name} generation ${earlier.version} retired`);
  }
  return lines;
}

/** The projections one may rebuild: one button each, off while a rebuild of it runs. */
export function rebuildable(overviews: Overview[]): Array<{ name: string; running: boolean }> {
  const names = [...new Set(overviews.map((overview) => overview.name))];
  return names.map((name) => ({ name, running: overviews.some((overview) => overview.name === name && overview.status === 'rebuilding') }));
}

export function ageWords(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 90) return `${seconds.toFixed(1)} s`;
  if (seconds < 5_400) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3_600)} h`;
}
