// A local Apache Kafka (KRaft), run from the jars Maven fetches for pom.xml: one broker, or a cluster
// of several (`--brokers 3`), each node a combined controller and broker on loopback ports.
// `node infra/kafka/broker.mjs up|down|status [--brokers N] [--node I] [--kill]`; `up` and `down`
// are also used by scripts/chancery-dev.mjs (the single broker).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const jarsDir = join(here, 'target', 'jars');
const jarsMarker = join(jarsDir, '.fetched-for');

// Fixed, so a reformat of an existing data dir is a no-op (`--ignore-formatted`). The cluster's is
// another one: a node of one can never join the other by a mix-up of ports.
const singleClusterId = 'Y2hhbmNlcnktbG9jYWwx';
const clusterClusterId = 'Y2hhbmNlcnktY2x1c3Rlcg';

/**
 * Where the nodes of a deployment live. One broker: 127.0.0.1:9092 (controller 9093) in
 * .chancery/kafka. A cluster of N: 127.0.0.1:9192, 9194, … (each node's controller on the next
 * port) in .chancery/kafka-cluster/node-<i>, so it never meets the single broker everyone's
 * `npm test` uses. CHANCERY_KAFKA_PORT moves the first port, CHANCERY_KAFKA_DIR the state dir
 * (the fault and cluster tests run brokers of their own).
 */
export function layout(brokers = 1, env = process.env) {
  if (!Number.isInteger(brokers) || brokers < 1 || brokers > 9) throw new Error(`--brokers takes 1 to 9, not ${brokers}`);
  const single = brokers === 1;
  const dir = env.CHANCERY_KAFKA_DIR ? resolve(env.CHANCERY_KAFKA_DIR) : join(root, '.chancery', single ? 'kafka' : 'kafka-cluster');
  const base = Number(env.CHANCERY_KAFKA_PORT ?? (single ? 9092 : 9192));
  if (!Number.isInteger(base) || base < 1 || base + 2 * brokers > 65_535) throw new Error(`CHANCERY_KAFKA_PORT is not a usable port: ${env.CHANCERY_KAFKA_PORT}`);
  const nodes = Array.from({ length: brokers }, (_, index) => {
    const nodeDir = single ? dir : join(dir, `node-${index + 1}`);
    return {
      id: index + 1, port: base + 2 * index, controllerPort: base + 2 * index + 1, dir: nodeDir,
      pidFile: join(nodeDir, 'broker.pid'), logFile: join(nodeDir, 'broker.log'), propertiesFile: join(nodeDir, 'server.properties'),
    };
  });
  // As in production: every partition on three brokers (or all there are), and a write acknowledged
  // only once all but one of them have it, so one broker may be lost at any time without losing one.
  const replication = Math.min(3, brokers);
  const minInSync = Math.max(1, replication - 1);
  return {
    brokers, dir, nodes, replication, minInSync,
    clusterId: single ? singleClusterId : clusterClusterId,
    bootstrap: nodes.map((node) => `127.0.0.1:${node.port}`).join(','),
  };
}

/** The single broker's address, as `npm start` and `npm test` use it. */
export const localBrokers = layout(1).bootstrap;

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

function writeProperties(deployment, node) {
  mkdirSync(join(node.dir, 'data'), { recursive: true });
  const { replication, minInSync } = deployment;
  writeFileSync(node.propertiesFile, [
    'process.roles=broker,controller',
    `node.id=${node.id}`,
    `controller.quorum.voters=${deployment.nodes.map((voter) => `${voter.id}@127.0.0.1:${voter.controllerPort}`).join(',')}`,
    `listeners=PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${node.port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${join(node.dir, 'data')}`,
    'num.partitions=1',
    // Topics created without a replication factor of their own (Chancery's, unless
    // CHANCERY_TOPIC_REPLICATION_FACTOR says otherwise) get the cluster's.
    `default.replication.factor=${replication}`,
    `min.insync.replicas=${minInSync}`,
    `offsets.topic.replication.factor=${replication}`,
    'offsets.topic.num.partitions=12',
    `transaction.state.log.replication.factor=${replication}`,
    `transaction.state.log.min.isr=${minInSync}`,
    `share.coordinator.state.topic.replication.factor=${replication}`,
    `share.coordinator.state.topic.min.isr=${minInSync}`,
    // A replica that was not in sync never becomes leader: an acknowledged write is never lost.
    'unclean.leader.election.enable=false',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    '',
  ].join('\n'));
}

function runningPid(node) {
  if (!existsSync(node.pidFile)) return undefined;
  const pid = Number(readFileSync(node.pidFile, 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Whether the node at `address` answers a metadata request; with `brokers`, whether it knows that many. */
async function servesMetadata(address, brokers = 1) {
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({ clientId: 'chancery-broker-check', brokers: [address], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length >= brokers;
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

/** Formats the node's KRaft storage, unless done before: a JVM of its own, so a restart skips it. */
function format(deployment, node) {
  writeProperties(deployment, node);
  if (existsSync(join(node.dir, 'data', 'meta.properties'))) return Promise.resolve();
  return new Promise((resolvePromise, reject) => {
    const tool = spawn('java', ['-cp', join(jarsDir, '*'), 'kafka.tools.StorageTool', 'format', '-t', deployment.clusterId,
      '--ignore-formatted', '-c', node.propertiesFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    tool.stdout.on('data', (chunk) => (output += chunk));
    tool.stderr.on('data', (chunk) => (output += chunk));
    tool.on('error', reject);
    tool.on('exit', (code) => (code === 0 ? resolvePromise()
      : reject(new Error(`formatting the KRaft storage of node ${node.id} failed:\n${output}`))));
  });
}

/** Starts the node, detached; its pid goes to its pid file. */
function launch(node) {
  const out = openSync(node.logFile, 'a');
  const broker = spawn('java', [
    '-Xmx512m', '-Xms512m', '-XX:+UseG1GC', '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(here, 'log4j2.properties')}`,
    '-cp', join(jarsDir, '*'), 'kafka.Kafka', node.propertiesFile,
  ], { detached: true, stdio: ['ignore', out, out] });
  broker.unref();
  writeFileSync(node.pidFile, String(broker.pid));
  log(`node ${node.id} starting on 127.0.0.1:${node.port} (pid ${broker.pid}, log ${node.logFile})`);
}

function pick(deployment, only) {
  if (only === undefined) return deployment.nodes;
  const node = deployment.nodes.find((candidate) => candidate.id === only);
  if (!node) throw new Error(`--node takes 1 to ${deployment.brokers}, not ${only}`);
  return [node];
}

/**
 * Starts every node of the deployment (or the one `node`) that is not already running, and waits
 * until each serves metadata and knows the whole cluster.
 * @returns {Promise<{brokers: string, startedHere: boolean}>}
 */
export async function up({ brokers = 1, node: only, timeoutMs = 120_000 } = {}) {
  const deployment = layout(brokers);
  const nodes = pick(deployment, only);
  const address = (node) => `127.0.0.1:${node.port}`;
  const missing = [];
  for (const node of nodes) {
    if (runningPid(node) && (await servesMetadata(address(node)))) continue;
    if (!runningPid(node) && (await servesMetadata(address(node)))) {
      throw new Error(`another Kafka already answers on ${address(node)}: set KAFKA_BROKERS=${address(node)} to use it, `
        + 'or CHANCERY_KAFKA_PORT to run this one elsewhere');
    }
    if (!runningPid(node)) missing.push(node);
  }
  if (missing.length === 0 && nodes.every(runningPid)) {
    log(`reusing the ${deployment.brokers === 1 ? 'broker' : 'cluster'} already running on ${deployment.bootstrap}`);
    return { brokers: deployment.bootstrap, startedHere: false };
  }
  ensureJars();
  const started = Date.now();
  // The nodes' storage is formatted side by side: each format is a JVM start.
  await Promise.all(missing.map((node) => format(deployment, node)));
  for (const node of missing) launch(node);
  // On failure, what this call started goes again; nodes that were running stay.
  const stopStarted = () => Promise.all(missing.map((node) => down({ brokers, node: node.id })));

  // A node of a cluster is RUNNING once the quorum has elected a controller: the nodes wait for each other.
  const waiting = new Set(nodes);
  while (Date.now() - started < timeoutMs) {
    for (const node of waiting) {
      if (!runningPid(node)) {
        const error = new Error(`node ${node.id} exited during start-up:\n${tail(node.logFile)}`);
        await stopStarted();
        throw error;
      }
      if (await servesMetadata(address(node), deployment.brokers)) waiting.delete(node);
    }
    if (waiting.size === 0) {
      log(`${nodes.length === 1 && deployment.brokers > 1 ? `node ${nodes[0].id}` : deployment.brokers === 1 ? 'broker' : `${deployment.brokers} brokers`} `
        + `ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return { brokers: deployment.bootstrap, startedHere: missing.length > 0 };
    }
    await sleep(250);
  }
  const stuck = [...waiting];
  await stopStarted();
  throw new Error(`node ${stuck.map((node) => node.id).join(', ')} did not serve metadata within ${timeoutMs / 1000} s:\n${tail(stuck[0].logFile)}`);
}

/**
 * Stops our nodes of the deployment (or the one `node`): SIGTERM, a controlled shutdown that hands
 * its partitions' leadership over first, and SIGKILL after the grace period; `kill`: SIGKILL at
 * once, as a crash would. Only the nodes whose pid files are in this deployment's state dir.
 */
export async function down({ brokers = 1, node: only, kill = false, graceMs = 30_000 } = {}) {
  const deployment = layout(brokers);
  const nodes = pick(deployment, only).map((node) => ({ node, pid: runningPid(node) })).filter(({ pid }) => pid !== undefined);
  if (nodes.length === 0) return;
  for (const { pid } of nodes) process.kill(pid, kill ? 'SIGKILL' : 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && nodes.some(({ node }) => runningPid(node))) await sleep(100);
  for (const { node, pid } of nodes) {
    if (runningPid(node)) process.kill(pid, 'SIGKILL');
    rmSync(node.pidFile, { force: true });
  }
  const which = deployment.brokers === 1 ? 'broker' : nodes.length === deployment.brokers ? 'cluster' : `node ${nodes.map(({ node }) => node.id).join(', ')}`;
  log(`${which} ${kill ? 'killed' : 'stopped'}`);
}

export async function status({ brokers = 1 } = {}) {
  const deployment = layout(brokers);
  const nodes = await Promise.all(deployment.nodes.map(async (node) => {
    const pid = runningPid(node);
    return { node: node.id, pid, broker: `127.0.0.1:${node.port}`, ready: pid ? await servesMetadata(`127.0.0.1:${node.port}`) : false };
  }));
  if (deployment.brokers === 1) return { pid: nodes[0].pid, brokers: deployment.bootstrap, ready: nodes[0].ready };
  return { brokers: deployment.bootstrap, ready: nodes.every((node) => node.ready), nodes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const usage = 'usage: broker.mjs up|down|status|jars [--brokers N] [--node I] [--kill]';
  let options;
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: { brokers: { type: 'string', default: '1' }, node: { type: 'string' }, kill: { type: 'boolean', default: false } },
    });
    options = { command: positionals[0] ?? 'status', brokers: Number(values.brokers), node: values.node === undefined ? undefined : Number(values.node), kill: values.kill };
  } catch (error) {
    console.error(`[kafka] ${error.message}\n${usage}`);
    process.exit(2);
  }
  const { command, brokers, node, kill } = options;
  const actions = {
    up: async () => console.log((await up({ brokers, node })).brokers),
    down: () => down({ brokers, node, kill }),
    status: async () => console.log(JSON.stringify(await status({ brokers }))),
    jars: async () => ensureJars(),
  };
  if (!actions[command]) {
    console.error(usage);
    process.exit(2);
  }
  actions[command]().catch((error) => {
    console.error(`[kafka] ${error.message}`);
    process.exit(1);
  });
}
