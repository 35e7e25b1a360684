// What every phase of one run shares: where things are, and the sizes of this mode.
import type { CpuMeter } from './cpu.js';

export type BenchOptions = {
  quick: boolean;
  /** Commands imported before the measures that need a stored corpus (≈ events: one command, one event). */
  commands: number;
  seed: number;
  linesPerImportRequest: number;
  /** The fixed rate first runs for `warmupSeconds` uncounted, as the queries warm up (see BENCHMARKS.md). */
  fixedRate: { perSecond: number; seconds: number; warmupSeconds: number };
  maxRate: { clients: number; seconds: number };
  writeToVisible: { commands: number; clients: number };
  queries: { requestsEach: number; warmupEach: number; clients: number };
  peerConcurrency: number;
  /** Whether the peer (Emmett) is measured too; a scaling run may leave it out. */
  peer: boolean;
  keep: boolean;
  /** Whether the relay runs as a process of its own beside a command-api without one (--relay-apart, ADR 0015). */
  relayApart: boolean;
  /** Whether the rebuild is also run by 1, 2 and 3 projector processes in one group (--scale-out). */
  scaleOut: boolean;
  /** Where the app processes write V8 CPU profiles (--profile), if anywhere. */
  profileDir?: string;
};

export type BenchContext = {
  options: BenchOptions;
  brokers: string[];
  prefix: string;
  adminKey: string;
  database: { name: string; url: string };
  /** The environment every app process of the run gets. */
  appEnv: Record<string, string>;
  /** The CPU each process spends, by phase. */
  cpu: CpuMeter;
};

export function parseOptions(argv: string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const valueOf = (flag: string): number | undefined => {
    const index = argv.indexOf(flag);
    if (index === -1) return undefined;
    const value = Number(argv[index + 1]);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} takes a positive whole number`);
    return value;
  };
  const flags = ['--quick', '--keep', '--profile', '--no-peer', '--relay-apart', '--scale-out', '--commands', '--seed'];
  const unknown = argv.filter((arg, index) => arg.startsWith('--') && !flags.includes(arg) && !['--commands', '--seed'].includes(argv[index - 1] ?? ''));
  if (unknown.length > 0) {
    throw new Error(`unknown option ${unknown[0]}; usage: npm run bench -- [--quick] [--commands N] [--seed N] [--no-peer] [--relay-apart] [--scale-out] [--keep] [--profile]`);
  }
  return {
    quick,
    commands: valueOf('--commands') ?? (quick ? 10_000 : 1_000_000),
    seed: valueOf('--seed') ?? 7,
    linesPerImportRequest: 10_000,
    fixedRate: { perSecond: 200, seconds: quick ? 15 : 30, warmupSeconds: 5 },
    maxRate: { clients: 16, seconds: quick ? 10 : 20 },
    writeToVisible: { commands: 1_000, clients: 2 },
    queries: { requestsEach: quick ? 500 : 2_000, warmupEach: 50, clients: 2 },
    peerConcurrency: 8,
    peer: !argv.includes('--no-peer'),
    keep: argv.includes('--keep'),
    relayApart: argv.includes('--relay-apart'),
    scaleOut: argv.includes('--scale-out'),
    ...(argv.includes('--profile') ? { profileDir: `.chancery/bench-profiles/${new Date().toISOString().replace(/[:.]/g, '-')}` } : {}),
  };
}
