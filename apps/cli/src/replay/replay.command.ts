// `chancery replay <name>|--all`: rebuilds projections from offset 0 beside the live ones, through
// the API, and follows each until it is swapped in, with a progress bar.
import { ApiError, type ApiClient } from '../api-client.js';

type Overview = {
  name: string; kind: 'read-model' | 'alerter'; version: number; status: string; live: boolean;
  progress: { done: number; total: number; eventsPerSecond: number; etaSeconds: number | null } | null;
};

function bar(fraction: number, width = 30): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export async function runReplay(api: ApiClient, options: { names: string[]; all: boolean; pollMs?: number; err?: NodeJS.WritableStream }): Promise<void> {
  const err = options.err ?? process.stderr;
  const overviews = await api.get<Overview[]>('/v1/projections');
  // The alerter is listed beside the projections, but is not rebuilt from the log (ADR 0006).
  const names = options.all ? [...new Set(overviews.filter((overview) => overview.kind === 'read-model').map((overview) => overview.name))] : options.names;
  if (names.length === 0) throw new Error('name a projection, or pass --all');
  const started = new Map<string, number>();
  for (const name of names) {
    try {
      const { version } = await api.post<{ version: number }>(`/v1/projections/${encodeURIComponent(name)}/rebuild`, {});
      started.set(name, version);
      err.write(`${name}: rebuilding as generation ${version}\n`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        const version = (error.problem as { version: number }).version;
        started.set(name, version);
        err.write(`${name}: a rebuild is already running (generation ${version}); following it\n`);
      } else {
        throw error;
      }
    }
  }
  for (;;) {
    const now = await api.get<Overview[]>('/v1/projections');
    const lines = [...started].map(([name, version]) => {
      const generation = now.find((overview) => overview.name === name && overview.version === version);
      if (generation?.live) return { name, done: true, text: `${name.padEnd(12)} ${bar(1)} live (generation ${version})` };
      const progress = generation?.progress;
      const fraction = progress && progress.total > 0 ? progress.done / progress.total : 0;
      const eta = progress?.etaSeconds == null ? '' : `, ~${progress.etaSeconds} s left`;
      return {
        name,
        done: false,
        text: `${name.padEnd(12)} ${bar(fraction)} ${progress?.done ?? 0}/${progress?.total ?? '?'} events, ${progress?.eventsPerSecond ?? 0}/s${eta}`,
      };
    });
    err.write(`${lines.map((line) => line.text).join('\n')}\n`);
    if (lines.every((line) => line.done)) return;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1_000));
  }
}
