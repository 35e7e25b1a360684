// Latency samples kept whole (a run holds at most a few tens of thousands), so percentiles are exact.
export type LatencySummary = { count: number; p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number; meanMs: number };

export class Latencies {
  private samples: number[] = [];

  record(ms: number): void {
    this.samples.push(ms);
  }

  get count(): number {
    return this.samples.length;
  }

  summary(): LatencySummary {
    const sorted = [...this.samples].sort((a, b) => a - b);
    // Nearest-rank: the value at or below which this share of the samples lie.
    const at = (share: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!);
    const round = (ms: number) => Math.round(ms * 100) / 100;
    return {
      count: sorted.length,
      p50Ms: round(at(0.5)),
      p90Ms: round(at(0.9)),
      p99Ms: round(at(0.99)),
      maxMs: round(sorted.at(-1) ?? NaN),
      meanMs: round(sorted.reduce((sum, ms) => sum + ms, 0) / Math.max(1, sorted.length)),
    };
  }
}
