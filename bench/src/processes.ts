// Every process the bench starts goes through here, so a failure or Ctrl-C stops them all, and each
// app's peak memory (VmHWM: the kernel's high-water mark of its resident set) is read before it stops.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const root = fileURLToPath(new URL('../../../', import.meta.url));

const running = new Set<ChildProcess>();
const apps = new Set<AppProcess>();

/** The pid of each app still running, by label (its name, or `projector-2` where several run). */
export function appPids(): Record<string, number | undefined> {
  return Object.fromEntries([...apps].map((app) => [app.label, app.child.pid]));
}

/** The last lines each app still running has logged: what a failed run shows. */
export function appTails(): string {
  return [...apps].map((app) => `--- ${app.label} (last lines) ---\n${app.tail(30)}`).join('\n');
}

/** Peak resident set of a live process, in MB; undefined once it has gone. */
export function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

// Whatever way the bench ends, even by an uncaught error, its children do not outlive it.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Puts a child the bench started itself on the list of what stopAll stops. */
export function track(child: ChildProcess): void {
  running.add(child);
  child.on('exit', () => running.delete(child));
}

/** Stops whatever is still running (on failure or Ctrl-C). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child, 10_000)));
}

export type AppName = 'command-api' | 'relay' | 'query-api' | 'projector';

export class AppProcess {
  private output = '';
  private peak = 0;
  private readonly sampler: NodeJS.Timeout;

  private constructor(readonly name: AppName, readonly label: string, readonly url: string, readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => this.keep(chunk));
    child.stderr!.on('data', (chunk: Buffer) => this.keep(chunk));
    // VmHWM already is a peak; sampling it only keeps the last value should the process die first.
    this.sampler = setInterval(() => this.samplePeak(), 1_000);
    this.sampler.unref();
  }

  /** `label`: how the run names it (CPU by process, the tails of a failure); where several of an app run, each its own. */
  static async start(name: AppName, env: Record<string, string>, profileDir?: string, label: string = name): Promise<AppProcess> {
    const port = await freePort();
    const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${root}${profileDir}`, `--cpu-prof-name=${label}.cpuprofile`] : [];
    const child = spawn(process.execPath, [...profile, `${root}dist/apps/${name}/src/main.js`], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env, HOST: '127.0.0.1', PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    child.on('exit', () => running.delete(child));
    const app = new AppProcess(name, label, `http://127.0.0.1:${port}`, child);
    apps.add(app);
    child.on('exit', () => apps.delete(app));
    await app.ready();
    return app;
  }

  private keep(chunk: Buffer): void {
    this.output = (this.output + chunk.toString()).slice(-20_000);
  }

  private samplePeak(): number {
    this.peak = Math.max(this.peak, peakRssMb(this.child.pid) ?? 0);
    return this.peak;
  }

  get peakRssMb(): number {
    return this.samplePeak();
  }

  tail(lines = 20): string {
    return this.output.trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Ready when /health/ready answers 200: Postgres and Kafka reachable, read models set up. */
  private async ready(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`${this.label} exited during start-up:\n${this.tail()}`);
      const response = await fetch(`${this.url}/health/ready`).catch(() => undefined);
      if (response?.status === 200) return;
      await response?.body?.cancel();
      await sleep(100);
    }
    throw new Error(`${this.label} was not ready within ${timeoutMs / 1000} s:\n${this.tail()}`);
  }

  /** SIGTERM (a graceful shutdown), SIGKILL after the grace; returns its peak memory. */
  async stop(graceMs = 15_000): Promise<number> {
    const peak = this.samplePeak();
    clearInterval(this.sampler);
    await stopChild(this.child, graceMs);
    return peak;
  }
}

export type ToolRun = { code: number; stdout: string; stderr: string; ms: number };

/** Runs a command to completion (Kafka's perf tools, psql), killed if it outlives the timeout. */
export async function runTool(command: string, args: string[], timeoutMs: number, env: Record<string, string> = {}): Promise<ToolRun> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  running.delete(child);
  if (code === null) throw new Error(`${command} ${args.slice(0, 3).join(' ')}… was killed (${signal}) after ${timeoutMs / 1000} s`);
  return { code, stdout, stderr, ms: performance.now() - started };
}
