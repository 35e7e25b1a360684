// `npm run bench [-- --quick]`: the set-up `npm test` does (packages, build, local broker unless
// KAFKA_BROKERS is set), plus the peer's packages, then the bench itself (dist/bench/src/main.js),
// then the broker stopped if this run started it. Only Node built-ins before the install.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function say(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

function run(cmd, args, cwd = root) {
  const result = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (result.error) throw new Error(`${cmd} could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}`);
}

/** `npm ci` in a package folder when its lock file changed since the last install (as scripts/chancery-dev.mjs does). */
function ensurePackages(folder, what) {
  const marker = join(folder, 'node_modules', '.chancery-lock-sha256');
  const lock = createHash('sha256').update(readFileSync(join(folder, 'package-lock.json'))).digest('hex');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === lock) return;
  say(`installing ${what} from package-lock.json…`);
  run('npm', ['ci', '--no-audit', '--no-fund'], folder);
  writeFileSync(marker, lock);
}

async function kafka() {
  if (process.env.KAFKA_BROKERS) {
    say(`using the Kafka brokers in KAFKA_BROKERS (${process.env.KAFKA_BROKERS})`);
    return { brokers: process.env.KAFKA_BROKERS, startedHere: false, stop: async () => {} };
  }
  const broker = await import(pathToFileURL(join(root, 'infra', 'kafka', 'broker.mjs')).href);
  const { brokers, startedHere } = await broker.up();
  return { brokers, startedHere, stop: startedHere ? () => broker.down() : async () => {} };
}

/** The bench in its own process group: a Ctrl-C reaches it once, from here, and it stops what it started. */
function supervise(args, env) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env, detached: true });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolvePromise(code ?? (signal ? 1 : 0));
    });
  });
}

async function main() {
  ensurePackages(root, 'npm packages');
  ensurePackages(join(root, 'bench', 'peer'), 'the peer (Emmett) packages');
  say('compiling…');
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
  const broker = await kafka();
  try {
    const env = { ...process.env, KAFKA_BROKERS: broker.brokers, BENCH_BROKER_STARTED: broker.startedHere ? '1' : '0' };
    // The 1M-event corpus and its import lines are held in memory.
    return await supervise(['--max-old-space-size=12288', join(root, 'dist', 'bench', 'src', 'main.js'), ...process.argv.slice(2)], env);
  } finally {
    await broker.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    say(error.message);
    process.exit(1);
  },
);
