// Query latency with the corpus stored: each dashboard read, a few clients at once, parties and
// pairs drawn at random (seeded), after a warm-up that is not counted.
import type { BenchContext } from '../context.js';
import { type Api } from '../http.js';
import { Latencies, type LatencySummary } from '../latency.js';
import { progress } from '../log.js';

export type QueryResult = LatencySummary & { path: string; errors: number; firstError?: string };

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

export async function queries(context: BenchContext, api: Api, parties: string[], lastDay: string): Promise<Record<string, QueryResult>> {
  const { requestsEach, warmupEach, clients } = context.options.queries;
  const next = seeded(context.options.seed);
  const party = () => parties[Math.floor(next() * parties.length)]!;
  const yearBefore = new Date(Date.parse(lastDay) - 365 * 86_400_000).toISOString().slice(0, 10);
  const reads: Record<string, { example: string; path: () => string }> = {
    positionsByParty: { example: '/v1/parties/{party}/positions', path: () => `/v1/parties/${party()}/positions` },
    openDemands: { example: '/v1/demands?status=open&limit=50', path: () => '/v1/demands?status=open&limit=50' },
    openDemandsToParty: { example: '/v1/demands?status=open&addressedTo={party}', path: () => `/v1/demands?status=open&addressedTo=${party()}` },
    timelinePage: { example: '/v1/timeline?party={party}&limit=50', path: () => `/v1/timeline?party=${party()}&limit=50` },
    relations: {
      example: `/v1/relations/{a}/{b}?from=<a year before the last day>`,
      path: () => {
        const a = party();
        let b = party();
        while (b === a) b = party();
        return `/v1/relations/${a}/${b}?from=${yearBefore}`;
      },
    },
  };
  const results: Record<string, QueryResult> = {};
  for (const [name, read] of Object.entries(reads)) {
    const latencies = new Latencies();
    let errors = 0;
    let firstError: string | undefined;
    let sent = 0;
    const total = warmupEach + requestsEach;
    await Promise.all(Array.from({ length: clients }, async () => {
      while (sent < total) {
        const counted = sent++ >= warmupEach;
        const answer = await api.call('GET', read.path());
        if (answer.status !== 200) {
          errors++;
          firstError ??= `HTTP ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`;
        } else if (counted) {
          latencies.record(answer.ms);
        }
      }
    }));
    results[name] = { path: read.example, ...latencies.summary(), errors, ...(firstError ? { firstError } : {}) };
    progress(`queries: ${name} p50 ${results[name].p50Ms} ms, p99 ${results[name].p99Ms} ms${errors ? `, ${errors} errors (${firstError})` : ''}`);
  }
  return results;
}
