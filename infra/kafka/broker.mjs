// A local single-node Apache Kafka broker (KRaft), run from the jars Maven fetches for pom.xml.
// `node infra/kafka/broker.mjs up|down|status`; `up` and `down` are also used by scripts/chancery-dev.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const jarsDir = join(here, 'target', 'jars');
const jarsMarker = join(jarsDir, '.fetched-for');
// CHANCERY_KAFKA_DIR: a second broker of its own (the fault tests stop and restart one).
const stateDir = process.env.CHANCERY_KAFKA_DIR ? resolve(process.env.CHANCERY_KAFKA_DIR) : join(root, '.chancery', 'kafka');
const pidFile = join(stateDir, 'broker.pid');
const logFile = join(stateDir, 'broker.log');
const propertiesFile = join(stateDir, 'server.properties');

const port = Number(process.env.CHANCERY_KAFKA_PORT ?? 9092);
const controllerPort = port + 1;
export const localBrokers = `127.0.0.1:${port}`;

// Fixed, so a reformat of an existing data dir is a no-op (`--ignore-formatted`).
const clusterId = 'Y2hhbmNlcnktbG9jYWwx';

function log(message) {
  process.stderr.write(`[kafka] ${message}\n`);
}

function pomHash() {
  return createHash('sha256').update(readFileSync(join(here, 'pom.xml'))).digest('hex');
}

/** Runs `mvn dependency:copy-dependencies` once per version of pom.xml. */
export function ensureJars() {
  const wanted = pomHash();
  if (existsSync(jarsMarker) && readFileSync(jarsMarker, 'utf8') === wanted) return;
  log('fetching the broker jars from Maven Central (once)…');
  rmSync(jarsDir, { recursive: true, force: true });
  const result = spawnSync(
    'mvn',
    ['-q', '-B', '-f', join(here, 'pom.xml'), 'dependency:copy-dependencies',
      `-DoutputDirectory=${jarsDir}`, '-DincludeScope=runtime'],
    { stdio: 'inherit' },
  );
  if (result.error) throw new Error(`mvn could not run (${result.error.message}); install Maven 3.8+`);
  if (result.status !== 0) throw new Error(`mvn exited with ${result.status} while fetching the Kafka jars`);
  writeFileSync(jarsMarker, wanted);
  log(`${readdirSync(jarsDir).filter((name) => name.endsWith('.jar')).length} jars in ${jarsDir}`);
}

function java(args, options) {
  return spawnSync('java', ['-cp', join(jarsDir, '*'), ...args], { encoding: 'utf8', ...options });
}

function writeProperties() {
  mkdirSync(join(stateDir, 'data'), { recursive: true });
  writeFileSync(propertiesFile, [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${join(stateDir, 'data')}`,
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=12',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    '',
  ].join('\n'));
}

function runningPid() {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

async function servesMetadata(brokers) {
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({ clientId: 'chancery-broker-check', brokers: [brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

function tail(file, lines = 30) {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Starts the broker unless ours is already running.
 * @returns {{brokers: string, startedHere: boolean}}
 */
export async function up({ timeoutMs = 90_000 } = {}) {
  if (runningPid() && (await servesMetadata(localBrokers))) {
    log(`reusing the broker already running on ${localBrokers}`);
    return { brokers: localBrokers, startedHere: false };
  }
  if (await servesMetadata(localBrokers)) {
    throw new Error(`another Kafka already answers on ${localBrokers}: set KAFKA_BROKERS=${localBrokers} to use it, `
      + 'or CHANCERY_KAFKA_PORT to run this one elsewhere');
  }
  ensureJars();
  writeProperties();
  const format = java(['kafka.tools.StorageTool', 'format', '-t', clusterId, '--ignore-formatted', '-c', propertiesFile]);
  if (format.status !== 0) throw new Error(`formatting the KRaft storage failed:\n${format.stdout}${format.stderr}`);

  const started = Date.now();
  const out = openSync(logFile, 'a');
  const broker = spawn('java', [
    '-Xmx512m', '-Xms512m', '-XX:+UseG1GC', '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(here, 'log4j2.properties')}`,
    '-cp', join(jarsDir, '*'), 'kafka.Kafka', propertiesFile,
  ], { detached: true, stdio: ['ignore', out, out] });
  broker.unref();
  writeFileSync(pidFile, String(broker.pid));
  log(`starting on ${localBrokers} (pid ${broker.pid}, log ${logFile})`);

  while (Date.now() - started < timeoutMs) {
    if (!runningPid()) throw new Error(`the broker exited during start-up:\n${tail(logFile)}`);
    if (await servesMetadata(localBrokers)) {
      log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return { brokers: localBrokers, startedHere: true };
    }
    await sleep(250);
  }
  await down();
  throw new Error(`the broker did not serve metadata within ${timeoutMs / 1000} s:\n${tail(logFile)}`);
}

/** Stops our broker (SIGTERM: a controlled shutdown), SIGKILL after the grace period. */
export async function down({ graceMs = 30_000 } = {}) {
  const pid = runningPid();
  if (!pid) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!runningPid()) break;
    await sleep(100);
  }
  if (runningPid()) process.kill(pid, 'SIGKILL');
  rmSync(pidFile, { force: true });
  log('stopped');
}

export async function status() {
  const pid = runningPid();
  return { pid, brokers: localBrokers, ready: pid ? await servesMetadata(localBrokers) : false };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const command = process.argv[2] ?? 'status';
  const actions = {
    up: async () => console.log((await up()).brokers),
    down: () => down(),
    status: async () => console.log(JSON.stringify(await status())),
    jars: async () => ensureJars(),
  };
  if (!actions[command]) {
    console.error(`usage: broker.mjs up|down|status|jars`);
    process.exit(2);
  }
  actions[command]().catch((error) => {
    console.error(`[kafka] ${error.message}`);
    process.exit(1);
  });
}
