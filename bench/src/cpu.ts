// Where the CPU went during a phase: each app's, the broker's, Postgres's (every backend, and those
// already gone, which their postmaster reaped) and the bench's own CPU seconds, beside the whole
// machine's busy time. On two shared cores this says which process limits a figure. Linux only
// (/proc); elsewhere the figures are left out.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** /proc reports CPU time in clock ticks of USER_HZ, 100 a second on Linux whatever the kernel's HZ. */
const ticksPerSecond = 100;

export type CpuUse = {
  seconds: number;
  /** CPU seconds by process (command-api, relay, projector, query-api, kafka-broker, postgres, bench). */
  byProcess: Record<string, number>;
  /** Of those, the seconds spent in the kernel (system calls: sockets, disk). */
  kernelByProcess: Record<string, number>;
  /** Share of all cores' time that was busy, any process, or taken by the host (stolen, below). */
  machineBusy: number;
  /**
   * Of all cores' time, the share the virtual machine's host gave to other guests while this one
   * had work (`steal` in /proc/stat): on a shared host, a run with much of it measured a slower machine.
   */
  machineStolen: number;
  /** What Postgres wrote to its WAL meanwhile (the whole server's), in MB. */
  walMb?: number;
};

type Times = { total: number; kernel: number };
type MachineTicks = { busy: number; stolen: number; total: number };
type Sample = { at: number; byProcess: Record<string, Times>; machine: MachineTicks };

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields start after its last ')'.
    return [stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ...stat.slice(stat.lastIndexOf(')') + 2).split(' ')];
  } catch {
    return undefined;
  }
}

/** User + kernel time (utime + stime, + cutime + cstime: children reaped), fields as numbered in proc(5), from 2 (comm). */
function cpuTimes(fields: string[], withChildren = false): Times {
  const at = (field: number) => Number(fields[field - 2]) / ticksPerSecond;
  const kernel = at(15) + (withChildren ? at(17) : 0);
  return { total: at(14) + kernel + (withChildren ? at(16) : 0), kernel };
}

function postgresTimes(): Times {
  const sum = { total: 0, kernel: 0 };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields?.[0] !== 'postgres') continue;
    const parent = statFields(Number(fields[2]));
    // The postmaster (whose parent is not Postgres) also counts the backends it has reaped.
    const times = cpuTimes(fields, parent?.[0] !== 'postgres');
    sum.total += times.total;
    sum.kernel += times.kernel;
  }
  return sum;
}

function machineTicks(): MachineTicks {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const ticks = values.map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  // idle and iowait are the not-busy fields (4th and 5th); steal is the 8th.
  return { busy: total - ticks[3]! - ticks[4]!, stolen: ticks[7] ?? 0, total };
}

export class CpuMeter {
  readonly phases: Record<string, CpuUse> = {};
  private readonly available: boolean;

  /**
   * `pids`: the processes to account for by name, asked anew at each sample (apps come and go).
   * `walPosition`: where the server's WAL is, in bytes.
   */
  constructor(private readonly pids: () => Record<string, number | undefined>, private readonly walPosition?: () => Promise<bigint>) {
    try {
      machineTicks();
      this.available = true;
    } catch {
      this.available = false;
    }
  }

  private sample(): Sample {
    const byProcess: Record<string, Times> = {};
    for (const [name, pid] of Object.entries(this.pids())) {
      const fields = pid === undefined ? undefined : statFields(pid);
      if (fields) byProcess[name] = cpuTimes(fields);
    }
    byProcess.postgres = postgresTimes();
    return { at: performance.now(), byProcess, machine: machineTicks() };
  }

  /** Runs a phase and keeps the CPU each process spent during it. */
  async measure<T>(phase: string, work: () => Promise<T>): Promise<T> {
    if (!this.available) return work();
    const walBefore = await this.walPosition?.();
    const before = this.sample();
    const result = await work();
    const after = this.sample();
    const walAfter = await this.walPosition?.();
    const byProcess: Record<string, number> = {};
    const kernelByProcess: Record<string, number> = {};
    const rounded = (seconds: number) => Math.round(seconds * 100) / 100;
    // A process started during the phase (the rebuild's projector) spent all its CPU in it.
    for (const [name, times] of Object.entries(after.byProcess)) {
      byProcess[name] = rounded(times.total - (before.byProcess[name]?.total ?? 0));
      kernelByProcess[name] = rounded(times.kernel - (before.byProcess[name]?.kernel ?? 0));
    }
    const total = after.machine.total - before.machine.total;
    const shareOfMachine = (ticks: number) => (total > 0 ? Math.round((ticks / total) * 1000) / 1000 : 0);
    this.phases[phase] = {
      seconds: Math.round((after.at - before.at) / 10) / 100,
      byProcess,
      kernelByProcess,
      machineBusy: shareOfMachine(after.machine.busy - before.machine.busy),
      machineStolen: shareOfMachine(after.machine.stolen - before.machine.stolen),
      ...(walBefore !== undefined && walAfter !== undefined ? { walMb: Math.round(Number(walAfter - walBefore) / 2 ** 20) } : {}),
    };
    return result;
  }

  /** One line per phase: each process's share of one core (in the kernel), and the machine's busy and stolen shares of all of them. */
  summary(): string {
    const cores = cpus().length;
    const share = (seconds: number, phase: CpuUse) => Math.round((seconds / phase.seconds) * 100);
    return Object.entries(this.phases).map(([phase, use]) => {
      const shares = Object.entries(use.byProcess)
        .sort(([, a], [, b]) => b - a)
        .map(([name, seconds]) => `${name} ${share(seconds, use)} % (${share(use.kernelByProcess[name] ?? 0, use)} %)`);
      const wal = use.walMb === undefined ? '' : `; WAL ${use.walMb.toLocaleString('en')} MB`;
      const machine = `machine ${Math.round(use.machineBusy * 100)} % busy of ${cores} cores (${Math.round(use.machineStolen * 100)} % stolen by the host)`;
      return `${phase} (${use.seconds} s): ${shares.join(', ')} of a core (in the kernel); ${machine}${wal}`;
    }).join('\n');
  }
}
