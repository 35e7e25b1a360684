// Past one machine (DESIGN §10), proven on loopback: a 3-broker Kafka cluster (replication 3,
// min.insync.replicas 2) and the apps as processes of their own — two command-apis, the relay and
// its standby, three projectors in one consumer group, the alerter, a query-api. While commands
// flow at a steady rate, a projector is SIGKILLed and another started (two rebalances), the broker
// leading the most partitions is SIGKILLed and started again, and the relay that owns the outbox
// is SIGKILLed (the standby takes over). Then nothing is lost or doubled: every accepted command is
// in the journal, `chancery verify` finds the topic equal to it, the consumer lag returns to 0,
// every read model equals a clean rebuild, and each alert fired once.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import kafkajs from 'kafkajs';
import pg from 'pg';
import { mkdir, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka } from '#event-log';
import {
  type AppName, type AppProcess, client, createTestDatabase, type OwnCluster, ownCluster, rowCount, runCli, serveApp,
  snapshotReadModels, type TestDatabase, testTopicPrefix,
} from '#testing';
import { startWebhookReceiver, type WebhookReceiver } from '../alerts/webhook-receiver.js';
import { DevelopmentAges } from './development-ages.js';
import { issues, parties, SteadyLoad } from './steady-load.js';

// Ports of its own (the fault tests use 19392–19395): brokers 19592, 19594, 19596, controllers one above each.
const basePort = 19_592;
const partitions = 6;
const commandsPerSecond = 10;
const adminKey = 'cluster-admin-key-0000000000';
const webhookSecret = 'cluster-webhook-secret-000001';

const { ConfigResourceTypes } = kafkajs;

type Served = { name: string; app: AppProcess; url: string };

describe('a 3-broker cluster and several projectors, rebalanced and failed over under load', () => {
  const cluster: OwnCluster = ownCluster(basePort);
  const prefix = testTopicPrefix();
  const topic = `${prefix}.events`;
  const liveGroup = `${prefix}.projections.live`;
  const alerterGroup = `${prefix}.projection.alerter.v1`;
  const started: Served[] = [];
  const figures: Record<string, string> = {};
  let database: TestDatabase;
  let clean: TestDatabase | undefined;
  let pool: pg.Pool;
  let receiver: WebhookReceiver;
  let env: Record<string, string>;
  // Quiet: a node away is what the test does on purpose, and every retry of it would be a warning.
  const admin = createKafka(cluster.brokers.split(','), 'cluster-test', {
    logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
  }).admin();
  const testStarted = performance.now();

  function figure(name: string, value: string): void {
    figures[name] = value;
    step(`${name}: ${value}`);
  }

  /** Where the test is, as it goes: a run cut short by its timeout shows the step it was in. */
  function step(what: string): void {
    process.stderr.write(`[cluster test +${((performance.now() - testStarted) / 1000).toFixed(1)} s] ${what}\n`);
  }

  async function serve(name: string, app: AppName, extra: Record<string, string> = {}): Promise<Served> {
    const { app: process, url } = await serveApp(app, { ...env, ...extra });
    const served = { name, app: process, url };
    started.push(served);
    return served;
  }

  /** The processes the test stopped on purpose; any other that ends fails the test, with its last words. */
  const stopped = new Set<string>();

  function assertAlive(): void {
    for (const { name, app } of started) {
      if (stopped.has(name)) continue;
      if (app.child.exitCode !== null || app.child.signalCode !== null) {
        throw new Error(`${name} exited (${app.child.exitCode ?? app.child.signalCode}):\n${app.output().slice(-3_000)}`);
      }
    }
  }

  /** Polls until `check` holds; a check that hangs (a client retrying a node that is away) counts as a no. */
  async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    step(`waiting: ${what}`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      assertAlive();
      const left = deadline - Date.now();
      const holds = await Promise.race([check().catch(() => false), sleep(Math.max(1_000, Math.min(left, 10_000)), false)]);
      if (holds) return;
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
      await sleep(200);
    }
  }

  /** The next fault waits for the read models to catch up with the last one. */
  const caughtUpAgain = (ages: DevelopmentAges) => until('the read models caught up again', async () => ages.waitingMs < 1_500, 60_000);

  const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

  async function kill(served: Served, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    step(`${signal} to ${served.name}`);
    stopped.add(served.name);
    await served.app.kill(signal);
  }

  async function group(groupId: string): Promise<{ state: string; members: number }> {
    const { groups } = await admin.describeGroups([groupId]);
    return { state: groups[0]!.state, members: groups[0]!.members.length };
  }

  const stable = (groupId: string, members: number) => async () => {
    const described = await group(groupId);
    return described.state === 'Stable' && described.members === members;
  };

  async function topicEnds(): Promise<Map<number, bigint>> {
    return new Map((await admin.fetchTopicOffsets(topic)).map((offset) => [offset.partition, BigInt(offset.high)]));
  }

  /** Every live projection's and the alerter's checkpoints, and each group's committed offsets, at the topic's end. */
  async function lagIsZero(): Promise<boolean> {
    const ends = await topicEnds();
    const { rows } = await pool.query<{ projection: string; partition: number; next_offset: string }>(
      `SELECT c.projection, c.partition, c.next_offset FROM projection_checkpoints c
       LEFT JOIN projection_status s ON s.projection = c.projection AND s.version = c.version
       WHERE s.is_live OR c.projection = 'alerter'`);
    const readers = new Set(rows.map((row) => row.projection));
    const checkpointsAtEnd = readers.has('alerter') && readers.size > 1 && [...readers].every((reader) => [...ends].every(([partition, end]) =>
      end === 0n || rows.some((row) => row.projection === reader && row.partition === partition && BigInt(row.next_offset) >= end)));
    if (!checkpointsAtEnd) return false;
    for (const groupId of [liveGroup, alerterGroup]) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const atEnd = committed!.partitions.every(({ partition, offset }) => ends.get(partition) === 0n || BigInt(offset) >= ends.get(partition)!);
      if (!atEnd) return false;
    }
    return true;
  }

  beforeAll(async () => {
    // A cluster left by a run that died is stopped and wiped first.
    await cluster.destroy();
    const clusterStarted = performance.now();
    await cluster.up();
    figure('cluster start (3 nodes)', seconds(clusterStarted));
    await admin.connect();
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url });
    pool.on('error', () => {});
    receiver = await startWebhookReceiver(() => 200);
    env = {
      DATABASE_URL: database.url, KAFKA_BROKERS: cluster.brokers, CHANCERY_TOPIC_PREFIX: prefix,
      CHANCERY_EVENT_PARTITIONS: String(partitions), CHANCERY_TOPIC_REPLICATION_FACTOR: '3', CHANCERY_TOPIC_MIN_INSYNC_REPLICAS: '2',
      CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey, CHANCERY_RELAY: 'off',
      // A delivery is retried only when the receiver (which answers at once) has not answered in 30 s:
      // on a busy machine, a shorter wait would deliver an alert twice by the webhook's own rules.
      CHANCERY_WEBHOOK_ALLOW_LOOPBACK: 'true', CHANCERY_WEBHOOK_TIMEOUT_MS: '30000', CHANCERY_ALERTER_POLL_MS: '100',
      // None of the test runner's flags.
      NODE_OPTIONS: '',
    };
    const appsStarted = performance.now();
    // The first relay owns the outbox; the second, started after it, waits as the standby.
    await serve('relay 1', 'relay');
    await Promise.all([
      serve('command-api 1', 'command-api'), serve('command-api 2', 'command-api'), serve('query-api', 'query-api'),
      serve('alerter', 'alerter'), serve('projector 1', 'projector'), serve('projector 2', 'projector'), serve('projector 3', 'projector'),
    ]);
    await serve('relay 2', 'relay');
    figure('apps start (9 processes)', seconds(appsStarted));
  }, 300_000);

  afterAll(async () => {
    // SIGKILL: what they hold is in Postgres and Kafka, and both go next. Their logs stay beside the
    // brokers' until the next run, for a look after a failure.
    await Promise.all(started.map(({ app }) => app.kill('SIGKILL')));
    await mkdir(`${cluster.dir}/apps`, { recursive: true });
    await Promise.all(started.map(({ name, app }) => writeFile(`${cluster.dir}/apps/${name.replaceAll(' ', '-')}.log`, app.output())));
    await admin.disconnect().catch(() => {});
    await cluster.destroy({ keepLogs: true });
    await receiver?.close();
    await pool?.end();
    await database?.drop();
    await clean?.drop();
    process.stderr.write(`cluster under load, measured:\n${Object.entries(figures).map(([figure, value]) => `  ${figure}: ${value}`).join('\n')}\n`);
  }, 120_000);

  it('loses and doubles nothing through two rebalances, a broker failover and a relay takeover', async () => {
    const byName = (name: string) => started.find((served) => served.name === name)!;
    const queries = client(byName('query-api').url, adminKey);
    const writers = [client(byName('command-api 1').url, adminKey), client(byName('command-api 2').url, adminKey)];

    // The topics as a production cluster has them.
    const replicas = await cluster.partitions(topic);
    expect(replicas).toHaveLength(partitions);
    for (const partition of replicas) expect(partition.replicas).toHaveLength(3);
    const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] });
    expect(described.resources[0]!.configEntries.find((entry) => entry.configName === 'min.insync.replicas')?.configValue).toBe('2');

    for (const id of parties) expect((await writers[0]!.post('/v1/parties', { id, name: `Party ${id}`, kind: id === 'NATO' || id === 'OSCE' ? 'organization' : 'state' })).status).toBe(201);
    for (const id of issues) expect((await writers[1]!.post('/v1/issues', { id, title: `Issue ${id}` })).status).toBe(201);
    const rule = await queries.post('/v1/alert-rules', {
      name: 'military warnings', kind: 'event', severity: 'high', match: { types: ['WarningGiven'] }, webhook: { url: receiver.url, secret: webhookSecret },
    });
    expect(rule.status).toBe(201);
    await until('three projectors share the live group', stable(liveGroup, 3), 60_000);

    step('load starts');
    const ages = new DevelopmentAges(pool);
    const load = new SteadyLoad([byName('command-api 1').url, byName('command-api 2').url], adminKey, commandsPerSecond);
    ages.start('steady');
    load.start();
    try {
      await sleep(4_000);

      // A projector dies without leaving its group: its partitions wait for the session timeout (10 s).
      ages.phase('a projector killed');
      let since = performance.now();
      await kill(byName('projector 1'));
      await until('the live group rebalances onto two projectors', stable(liveGroup, 2), 60_000);
      figure('rebalance after a projector SIGKILL (until the group is stable with 2)', seconds(since));
      await caughtUpAgain(ages);

      ages.phase('a projector started');
      since = performance.now();
      await serve('projector 4', 'projector');
      figure('projector start (spawn → ready)', seconds(since));
      since = performance.now();
      await until('the live group rebalances onto three projectors', stable(liveGroup, 3), 90_000);
      figure('rebalance after a projector joins (ready → the group stable with 3)', seconds(since));
      await caughtUpAgain(ages);

      // The broker leading the most partitions of the events topic dies the hard way.
      const leaders = (await cluster.partitions(topic)).map((partition) => partition.leader);
      const victim = [1, 2, 3].sort((a, b) => leaders.filter((leader) => leader === b).length - leaders.filter((leader) => leader === a).length)[0]!;
      ages.phase(`broker ${victim} killed`);
      since = performance.now();
      step(`SIGKILL to broker ${victim}, leader of partitions ${leaders.flatMap((leader, partition) => (leader === victim ? [partition] : [])).join(', ')}`);
      await cluster.stop(victim, 'kill');
      await until('every partition led by a broker still running', async () =>
        (await cluster.partitions(topic)).every((partition) => partition.leader !== victim && partition.leader >= 0), 60_000);
      figure(`leaders moved off a SIGKILLed broker (${leaders.filter((leader) => leader === victim).length} of ${partitions} partitions)`, seconds(since));
      await caughtUpAgain(ages);
      ages.phase(`broker ${victim} restarting`);
      since = performance.now();
      await cluster.start(victim);
      figure('broker restart (until it serves metadata)', seconds(since));
      await until('every partition in sync on three brokers again', async () =>
        (await cluster.partitions(topic)).every((partition) => partition.isr.length === 3), 90_000);
      figure('broker restart (until every partition has 3 in-sync replicas)', seconds(since));
      await caughtUpAgain(ages);

      // The relay that owns the outbox is the one publishing now. (Not necessarily the first: a relay
      // whose send fails lets go of the outbox, and the standby may take it, as during the broker's kill.)
      const published = async (served: Served) => {
        const metrics = await client(served.url, adminKey).get('/metrics');
        return Number(/^chancery_relay_published_events_total (\d+)/m.exec(String(metrics.body))?.[1] ?? 0);
      };
      const relays = [byName('relay 1'), byName('relay 2')];
      let owner: Served | undefined;
      await until('exactly one relay publishing', async () => {
        const before = await Promise.all(relays.map(published));
        await sleep(1_500);
        const after = await Promise.all(relays.map(published));
        const growing = relays.filter((_, index) => after[index]! > before[index]!);
        owner = growing.length === 1 ? growing[0] : undefined;
        return owner !== undefined;
      }, 30_000);
      const standby = relays.find((relay) => relay !== owner)!;
      const standbyBefore = await published(standby);
      ages.phase('the owning relay killed');
      since = performance.now();
      await kill(owner!);
      await until('the standby relay publishes', async () => (await published(standby)) > standbyBefore, 30_000);
      figure('relay takeover (owner SIGKILLed → the standby has published)', seconds(since));
      await caughtUpAgain(ages);
      ages.phase('steady again');
      await sleep(3_000);
    } finally {
      step('load stops');
      await load.stop();
      await ages.stop();
    }
    const { p50, p99, max } = load.latency();
    figure('commands sent', `${load.sent.length} at ${commandsPerSecond}/s, answered in p50 ${p50} ms, p99 ${p99} ms, at most ${max} ms`);
    figure('longest a development waited to be in every read model, by phase', ages.report());

    // Every command was accepted: the command-apis never depended on Kafka.
    expect(load.sent.filter((command) => command.status !== 201)).toEqual([]);
    const accepted = load.acceptedEventIds();
    const { rows: [journaled] } = await pool.query<{ accepted: number; all: number }>(
      'SELECT count(*) FILTER (WHERE event_id = ANY($1::uuid[]))::int AS accepted, count(*)::int AS all FROM journal', [accepted]);
    // And nothing else: the parties and issues registered before the load, and the accepted commands' events.
    expect(journaled).toEqual({ accepted: accepted.length, all: accepted.length + parties.length + issues.length });

    await until('the relay publishes the whole outbox', async () =>
      (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n === 0, 60_000);
    await until('the consumer lag returns to 0', lagIsZero, 120_000);
    const overview = await queries.get('/v1/projections');
    expect(overview.status).toBe(200);
    for (const projection of overview.body) expect({ name: projection.name, lag: projection.lag.events }).toEqual({ name: projection.name, lag: 0 });

    const verified = await runCli(['verify', '--json'], env);
    expect({ code: verified.code, stderr: verified.stderr.slice(-2_000) }).toEqual({ code: 0, stderr: expect.any(String) });
    const report = JSON.parse(verified.stdout);
    expect(report.ok).toBe(true);
    expect(report.log.events).toBe(report.journal.events);
    // A relay killed between Kafka's acknowledgement and its mark, or whose send failed after some
    // partitions had it, sends those events again (the projections skip them): copies of the same
    // event, counted here, never a different one (verify checks each copy's content).
    figure('events on the topic twice (sent again by a relay)', String(report.log.duplicatedEvents));

    // One alert per accepted warning, each delivered to the webhook once.
    const warnings = load.acceptedEventIds('warning').sort();
    await until('every alert delivered', async () => receiver.received.length >= warnings.length, 60_000);
    const { rows: alerts } = await pool.query<{ id: string; event_ids: string[] }>('SELECT id, event_ids FROM alerts');
    expect(alerts.flatMap((alert) => alert.event_ids).sort()).toEqual(warnings);
    const delivered = receiver.received.map((delivery) => String(delivery.headers['x-chancery-alert-id']));
    expect(delivered.sort()).toEqual(alerts.map((alert) => alert.id).sort());

    // A clean rebuild: a new projector, into a database of its own, reads the topic from offset 0.
    // The writers' work is done: their cores go to the rebuild.
    await Promise.all(started.filter(({ name }) => /command-api|relay/.test(name)).map((served) => kill(served, 'SIGTERM')));
    clean = await createTestDatabase();
    const cleanPool = new pg.Pool({ connectionString: clean.url });
    cleanPool.on('error', () => {});
    try {
      await serve('clean projector', 'projector', { DATABASE_URL: clean.url, CHANCERY_CONSUMER_GROUP_PREFIX: `${prefix}-clean` });
      const ends = await topicEnds();
      await until('the clean rebuild reaches the end of the topic', async () => {
        const { rows } = await cleanPool.query<{ projection: string; partition: number; next_offset: string }>(
          `SELECT c.projection, c.partition, c.next_offset FROM projection_checkpoints c
           JOIN projection_status s ON s.projection = c.projection AND s.version = c.version AND s.is_live`);
        const { rows: live } = await cleanPool.query<{ n: number }>('SELECT count(*)::int AS n FROM projection_status WHERE is_live');
        return live[0]!.n > 0 && [...ends].every(([partition, end]) =>
          end === 0n || rows.filter((row) => row.partition === partition && BigInt(row.next_offset) >= end).length === live[0]!.n);
      }, 120_000);
      const live = await snapshotReadModels(pool);
      expect(rowCount(live)).toBeGreaterThan(accepted.length);
      expect(await snapshotReadModels(cleanPool)).toEqual(live);
    } finally {
      await cleanPool.end();
    }
  }, 480_000);
});
