// The one way in: `npm start`, `npm test` and `npm run bench` on a fresh clone. Installs the npm
// packages when the lock file changed, moves onto the Node.js the project pins (the `node` dev
// dependency), brings up a local Kafka broker unless KAFKA_BROKERS is set, builds (the console's
// pages too), then serves the API in one process (start), runs every jest project (test) or the
// benchmark (bench). Only Node built-ins before install.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [command, ...passThrough] = process.argv.slice(2);

function say(message) {
  process.stderr.write(`[chancery] ${message}\n`);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw new Error(`${cmd} could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}`);
}

/** `npm ci` in a package folder when its lock file (or a patch of a dependency) changed since the last install. */
function ensureDependencies(folder = root, what = 'npm packages') {
  const marker = join(folder, 'node_modules', '.chancery-lock-sha256');
  const hash = createHash('sha256').update(readFileSync(join(folder, 'package-lock.json')));
  const patches = join(folder, 'patches');
  if (existsSync(patches)) for (const patch of readdirSync(patches).sort()) hash.update(readFileSync(join(patches, patch)));
  const lock = hash.digest('hex');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === lock) return;
  say(`installing ${what} from package-lock.json…`);
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: folder });
  writeFileSync(marker, lock);
}

/**
 * The Node.js binary of the `node` dev dependency. Whatever `node` started this script (on a fresh
 * clone, the machine's own, before the packages are installed), everything after the install runs
 * on this one, and every process it starts inherits it as `process.execPath`. CHANCERY_NODE names
 * another, to compare runtimes (the bench on Node.js 20 and 24, say).
 */
const pinnedNode = process.env.CHANCERY_NODE ?? join(root, 'node_modules', 'node', 'bin', 'node');

function runsOnPinnedNode() {
  if (!existsSync(pinnedNode)) {
    throw new Error(process.env.CHANCERY_NODE ? `CHANCERY_NODE names no file (${pinnedNode})`
      : `the pinned Node.js is missing (${pinnedNode}): remove node_modules and run again`);
  }
  return realpathSync(process.execPath) === realpathSync(pinnedNode);
}

function build() {
  say('compiling…');
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
  // The console's pages (apps/console), which the query API serves at /console.
  run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'apps/console']);
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

/**
 * Runs a child to completion. It gets its own process group, so a Ctrl-C reaches it once, from us,
 * and we stop the broker only after it has shut down.
 */
function supervise(cmd, args, env) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env, detached: true });
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

/** A local admin key for `npm start`, made once and kept in .chancery/ (git-ignored), unless one is given. */
function localAdminKey() {
  if (process.env.CHANCERY_BOOTSTRAP_ADMIN_KEY) return process.env.CHANCERY_BOOTSTRAP_ADMIN_KEY;
  const file = join(root, '.chancery', 'admin-key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `chk_local_${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  }
  say(`admin API key: ${file}`);
  return readFileSync(file, 'utf8').trim();
}

const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');

/** jest 30 runs the ESM-only Nest 12 code in ESM mode only. */
function jestEnv(env) {
  return { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim() };
}

async function main() {
  if (!['start', 'test', 'unit', 'bench', 'cli'].includes(command)) {
    say('usage: chancery-dev.mjs start|test [jest arguments]|unit|bench [--quick …]|cli <command>');
    return 2;
  }
  ensureDependencies();
  if (!runsOnPinnedNode()) {
    say(`moving from Node.js ${process.version} (${process.execPath}) to ${pinnedNode}`);
    return supervise(pinnedNode, [fileURLToPath(import.meta.url), command, ...passThrough], process.env);
  }
  say(`Node.js ${process.version}`);
  if (command === 'bench') ensureDependencies(join(root, 'bench', 'peer'), 'the peer (Emmett) packages');
  build();
  if (command === 'cli') {
    return supervise(process.execPath, [join(root, 'dist/apps/cli/src/main.js'), ...passThrough], process.env);
  }
  if (command === 'unit') {
    // Pure logic only: no broker, no database.
    return supervise(process.execPath, [jest, '--selectProjects', 'unit', ...passThrough], jestEnv(process.env));
  }
  const broker = await kafka();
  try {
    if (command === 'bench') {
      const env = { ...process.env, KAFKA_BROKERS: broker.brokers, BENCH_BROKER_STARTED: broker.startedHere ? '1' : '0' };
      // The 1M-event corpus and its import lines are held in memory.
      return await supervise(process.execPath, ['--max-old-space-size=12288', join(root, 'dist/bench/src/main.js'), ...passThrough], env);
    }
    if (command === 'start') {
      const env = { ...process.env, KAFKA_BROKERS: broker.brokers, CHANCERY_BOOTSTRAP_ADMIN_KEY: localAdminKey() };
      return await supervise(process.execPath, ['--enable-source-maps', join(root, 'dist/apps/standalone/src/main.js')], env);
    }
    const env = jestEnv({
      ...process.env,
      KAFKA_BROKERS: broker.brokers,
      CHANCERY_TEST_TEMPLATE: process.env.CHANCERY_TEST_TEMPLATE ?? `chancery_test_template_${process.pid}`,
    });
    return await supervise(process.execPath, [jest, ...passThrough], env);
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
