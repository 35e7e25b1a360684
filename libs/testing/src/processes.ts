// Real app processes for crash and process tests: the compiled apps (`npm test` builds first), killed for real.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTestDatabase } from './test-database.js';
import { deleteTestTopics, testBrokers, testTopicPrefix } from './test-kafka.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export type AppProcess = { child: ChildProcess; output: () => string; kill: (signal?: NodeJS.Signals) => Promise<void> };

/** Runs `chancery <args>` (the compiled CLI) to completion. */
export async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [`${root}dist/apps/cli/src/main.js`, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code: code ?? 1, stdout, stderr };
}

/** A free TCP port on 127.0.0.1, for a process that must be reached at a known address. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export type AppName = 'projector' | 'command-api' | 'relay' | 'query-api' | 'alerter' | 'standalone';

/**
 * A test database and topics of their own for spawned apps: `env` runs an app on them with an admin
 * key, `pool` reads the database, `close` drops both.
 */
export type SpawnedAppsGround = Awaited<ReturnType<typeof spawnedAppsGround>>;

export async function spawnedAppsGround(adminKey: string) {
  const prefix = testTopicPrefix();
  const database = await createTestDatabase();
  const pool = new pg.Pool({ connectionString: database.url });
  pool.on('error', () => {});
  const env: Record<string, string> = {
    DATABASE_URL: database.url, KAFKA_BROKERS: testBrokers().join(','), CHANCERY_TOPIC_PREFIX: prefix,
    CHANCERY_EVENT_PARTITIONS: '3', CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey,
  };
  return {
    prefix, database, pool, env,
    async close() {
      await pool.end();
      await database.drop();
      await deleteTestTopics(prefix);
    },
  };
}

/** Spawns an app on a free port and resolves once it answers `/health/ready`; throws if it exits first. */
export async function serveApp(app: AppName, env: Record<string, string>): Promise<{ app: AppProcess; url: string }> {
  const port = await freePort();
  const served = spawnApp(app, { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; waited < 600; waited++) {
    if (served.child.exitCode !== null || served.child.signalCode !== null) throw new Error(`${app} exited:\n${served.output()}`);
    if ((await fetch(`${url}/health/ready`).catch(() => undefined))?.ok) return { app: served, url };
    await sleep(50);
  }
  throw new Error(`${app} did not start:\n${served.output()}`);
}

export function spawnApp(app: AppName, env: Record<string, string>): AppProcess {
  let output = '';
  const child = spawn(process.execPath, [`${root}dist/apps/${app}/src/main.js`], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    child,
    output: () => output,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}
