// Reading the Prometheus text format in tests.

/** The value of the first sample of `name` whose labels include `labels`; undefined without one. */
export function metricSample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text.split('\n').find((candidate) => candidate.startsWith(name) && !candidate.startsWith('#')
    && (candidate[name.length] === ' ' || candidate[name.length] === '{') && wanted.every((label) => candidate.includes(label)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Every sample of `name` as its labels and value. */
export function metricSamples(text: string, name: string): Array<{ labels: Record<string, string>; value: number }> {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `)).map((line) => {
    const labels = Object.fromEntries([...(/\{(.*)\}/.exec(line)?.[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key!, value!]));
    return { labels, value: Number(line.slice(line.lastIndexOf(' ') + 1)) };
  });
}

/** The metric names the text declares (`# TYPE <name> <type>`). */
export function declaredMetrics(text: string): Set<string> {
  return new Set([...text.matchAll(/^# TYPE (\S+) \S+$/gm)].map(([, name]) => name!));
}
