// `npm run bench [-- --quick]`: one run, on its own database and topics, that measures Chancery the
// way its users feel it (DESIGN §9), beside the machine's ceilings and the Emmett peer, then prints a
// table and writes bench/results/<timestamp>.json. scripts/chancery-dev.mjs (the npm script) installs, builds
// and brings the broker up first.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { bookkeepingEventTypes } from '#domain';
import { kafkaConsumerCeiling, kafkaProducerCeiling, pgCopyCeiling, pgCopyReadModelsCeiling, type ReadModelLoad } from './ceilings.js';
import { type BenchContext, parseOptions } from './context.js';
import { CpuMeter } from './cpu.js';
import { generateCorpus } from './corpus-lines.js';
import { Api } from './http.js';
import { claimServer, deleteGroups, deleteTopics, dropDatabase, recreateDatabase } from './infra.js';
import { progress } from './log.js';
import { commands } from './phases/commands.js';
import { ingest } from './phases/ingest.js';
import { emmettPeer } from './phases/peer.js';
import { queries } from './phases/queries.js';
import { caughtUp, rebuild, tendAfterRebuild } from './phases/rebuild.js';
import { scaleOut, scaleOutDatabase, type ScaleOutRun } from './phases/scale-out.js';
import { AppProcess, appPids, appTails, peakRssMb, root, stopAll } from './processes.js';
import { atLeast, atMost, ms, perSec, ratio, type Row, table, type Target } from './report.js';

const databaseName = 'chancery_bench';
const partitions = 12;

function brokerPid(): number | undefined {
  const file = join(root, '.chancery', 'kafka', 'broker.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8')) : undefined;
}

function kafkaVersion(): string {
  const jar = readdirSync(join(root, 'infra', 'kafka', 'target', 'jars')).find((name) => /^kafka-clients-.*\.jar$/.test(name));
  return jar?.replace(/^kafka-clients-|\.jar$/g, '') ?? 'unknown';
}

/** The commit measured, and whether the checkout had uncommitted changes to it (results aside). */
function codeRevision(): { commit: string; uncommittedChanges: boolean } | undefined {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: git('rev-parse', 'HEAD'), uncommittedChanges: git('status', '--porcelain', '--', '.', ':!bench/results') !== '' };
  } catch {
    return undefined; // not a git checkout
  }
}

/** Where a run's JSON goes; a failed run writes what it had measured, with the error. */
function resultFile(startedAt: Date): string {
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  return join(root, 'bench', 'results', `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
}

async function run(context: BenchContext, startedAt: Date, partial: Record<string, unknown>): Promise<void> {
  const { options } = context;
  // Read at the start: the processes measured run the build of that moment, whatever changes later.
  const code = codeRevision();
  const loadAtStart = loadavg().map((load) => Math.round(load * 100) / 100);
  const tail = options.fixedRate.perSecond * (options.fixedRate.warmupSeconds + options.fixedRate.seconds) + 1_500 * options.maxRate.seconds + options.writeToVisible.commands;
  // About one command in ten decides nothing (an answer to a demand already answered…), hence the margin.
  const totalCommands = Math.ceil((options.commands + tail) * 1.15);
  // Parties and issues grow with the corpus, so streams keep a realistic length; the days end yesterday.
  const size = {
    seed: options.seed,
    parties: Math.max(40, Math.round(options.commands / 1_000)),
    issues: Math.max(20, Math.round(options.commands / 5_000)),
    commands: totalCommands,
    startDate: new Date(Date.now() - (Math.ceil(totalCommands * 0.33) + 1) * 86_400_000).toISOString().slice(0, 10),
  };
  progress(`corpus: generating ${totalCommands.toLocaleString('en')} commands (${size.parties} parties, ${size.issues} issues, seed ${size.seed})…`);
  const generated = performance.now();
  const corpus = await generateCorpus(size);
  const generationSeconds = (performance.now() - generated) / 1000;
  const importLines = Math.min(options.commands, corpus.lines.length - tail);
  const imported = corpus.batches.slice(0, importLines);
  const importedEvents = imported.reduce((sum, batch) => sum + batch.events.length, 0);
  // Registrations and retractions carry the time they were recorded, not a development's day.
  const lastDay = imported.flatMap((batch) => batch.events).filter((event) => !(bookkeepingEventTypes as readonly string[]).includes(event.type))
    .reduce((last, event) => (event.occurredAt > last ? event.occurredAt : last), '').slice(0, 10);
  progress(`corpus: ${importedEvents.toLocaleString('en')} events to import, ${(corpus.lines.length - importLines).toLocaleString('en')} commands kept for the single-command measures (${generationSeconds.toFixed(1)} s)`);

  const pool = new pg.Pool({ connectionString: context.database.url, max: 4 });
  pool.on('error', () => {});
  // The relay runs in the command-api, as by default, or as a process of its own (--relay-apart, ADR 0015).
  const writer = await AppProcess.start('command-api', { ...context.appEnv, CHANCERY_RELAY: options.relayApart ? 'off' : 'on' }, options.profileDir);
  const relay = options.relayApart ? await AppProcess.start('relay', context.appEnv, options.profileDir) : undefined;
  const writerApi = new Api(writer.url, context.adminKey);
  progress(`ingest: ${importLines.toLocaleString('en')} lines through POST /v1/import, ${options.linesPerImportRequest.toLocaleString('en')} lines a request…`);
  partial.corpus = { events: importedEvents, commands: importLines, parties: size.parties, issues: size.issues, seed: size.seed };
  const ingested = await context.cpu.measure('ingest', () => ingest(context, corpus, writerApi, pool, importLines));
  partial.ingest = ingested;
  progress(`ingest: ${ingested.eventsPerSec.toLocaleString('en')} events/s into journal and Kafka (${ingested.journalEventsPerSec.toLocaleString('en')} events/s into the journal)`);

  progress(`ceiling: ProducerPerformance, ${ingested.events.toLocaleString('en')} records of ${ingested.averageRecordBytes} bytes, acks=all…`);
  const producer = await kafkaProducerCeiling(context.brokers, `${context.prefix}.perf-producer`, partitions, ingested.events, ingested.averageRecordBytes);
  progress(`ceiling: Kafka producer ${producer.recordsPerSec.toLocaleString('en')} records/s; COPY of the journal's rows…`);
  const copy = await pgCopyCeiling(context.database.url, pool);
  partial.ingest = { ...ingested, ceiling: { kafkaProducerPerSec: producer.recordsPerSec, pgCopyRowsPerSec: copy.rowsPerSec, kafkaProducer: producer, pgCopy: copy } };
  progress(`ceiling: COPY ${copy.rowsPerSec.toLocaleString('en')} rows/s`);

  const rebuilt = await context.cpu.measure('rebuild', () => rebuild(context, pool, Math.max(600_000, ingested.events * 10)));
  const { rows: failures } = await pool.query<{ count: string }>('SELECT count(*) FROM projection_failures');
  progress(`rebuild: ${rebuilt.result.eventsPerSec.toLocaleString('en')} events/s (${rebuilt.result.projections.length} projections; ${failures[0]!.count} failures)`);
  progress('ceiling: ConsumerPerformance over the events topic…');
  const consumer = await kafkaConsumerCeiling(context.brokers, `${context.prefix}.events`, rebuilt.result.events, `${context.prefix}-consumer-perf`);
  progress(`ceiling: Kafka consumer ${consumer.recordsPerSec.toLocaleString('en')} records/s (${consumer.fetchRecordsPerSec.toLocaleString('en')} excluding the group join)`);

  progress('upkeep: vacuuming and analyzing the rebuilt tables, and waiting for autovacuum…');
  const upkeep = await context.cpu.measure('upkeep after the rebuild', () => tendAfterRebuild(pool, 15 * 60_000));
  progress(`upkeep: ${upkeep.tables.length} tables tended, ${upkeep.seconds} s${upkeep.timedOut ? ' (gave up waiting: autovacuum was still at work)' : ''}`);

  const reader = await AppProcess.start('query-api', context.appEnv, options.profileDir);
  const readerApi = new Api(reader.url, context.adminKey);
  const parties = Array.from({ length: size.parties }, (_, index) => `P${index}`);
  progress(`queries: ${options.queries.requestsEach} of each, ${options.queries.clients} clients, ${importedEvents.toLocaleString('en')} events stored…`);
  const consumerCeiling = { kafkaConsumerPerSec: consumer.recordsPerSec, kafkaConsumer: consumer };
  partial.rebuild = { ...rebuilt.result, ceiling: consumerCeiling, upkeep };
  const read = await context.cpu.measure('queries', () => queries(context, readerApi, parties, lastDay));
  partial.queries = { storedEvents: importedEvents, ...read };

  const written = await commands(context, writerApi, readerApi, pool, corpus, importLines);

  // Last, since it writes as much as the rebuild did: the measures after it would share the machine
  // with its checkpoint and find the read models' pages pushed out of Postgres's buffers.
  progress('ceiling: COPY of the rows the read models hold, once the projector has applied every event…');
  const readModelCopy = await pgCopyReadModelsCeiling(context.database.url, pool, await caughtUp(context, pool, 600_000));
  const loaded = (load: ReadModelLoad) => `${load.seconds} s, ${load.eventsPerSec.toLocaleString('en')} events/s (${load.rowsPerSec.toLocaleString('en')} rows/s)`;
  progress(`ceiling: COPY of the read models' ${readModelCopy.rows.toLocaleString('en')} rows (${readModelCopy.rowsPerEvent} an event): `
    + `into their indexed tables ${loaded(readModelCopy.intoIndexedTables)}; into bare tables, then their indexes ${loaded(readModelCopy.indexesAfter)}`);
  const rebuildCeilings = { ...consumerCeiling, pgCopyEventsPerSec: readModelCopy.eventsPerSec, pgCopyReadModels: readModelCopy };
  partial.rebuild = { ...rebuilt.result, ceiling: rebuildCeilings, upkeep };

  const memory = {
    'command-api': { peakRssMb: await writer.stop() },
    ...(relay ? { relay: { peakRssMb: await relay.stop() } } : {}),
    projector: { peakRssMb: await rebuilt.projector.stop(), duringRebuildPeakRssMb: rebuilt.result.peakRssMb },
    'query-api': { peakRssMb: await reader.stop() },
    'kafka-broker': { peakRssMb: peakRssMb(brokerPid()) ?? null, startedByBench: process.env.BENCH_BROKER_STARTED === '1' },
    bench: { peakRssMb: peakRssMb(process.pid) ?? null },
  };
  const { rows: versions } = await pool.query<{ server_version: string }>('SHOW server_version');
  // The server's settings that move these figures most: a read model larger than shared_buffers is
  // read and written through the kernel's page cache, which a rebuild and the queries at 1M pay for.
  const { rows: settings } = await pool.query<{ name: string; setting: string }>(
    `SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name = ANY($1::text[]) ORDER BY name`,
    [['shared_buffers', 'effective_cache_size', 'work_mem', 'max_wal_size', 'wal_compression', 'checkpoint_timeout', 'synchronous_commit']]);
  const postgresSettings = Object.fromEntries(settings.map((row) => [row.name, row.setting]));
  await pool.end();

  // With the other apps stopped: only the broker, Postgres and the projectors measured share the cores.
  let scaleOutRuns: ScaleOutRun[] | undefined;
  if (options.scaleOut) {
    scaleOutRuns = await scaleOut(context, Math.max(600_000, ingested.events * 10));
    partial.rebuildScaleOut = scaleOutRuns;
  }

  // A scaling run may leave the peer out (`--no-peer`): at a million events it takes longer than all the rest.
  let emmett: Awaited<ReturnType<typeof emmettPeer>> | undefined;
  if (options.peer) {
    progress(`peer: emmett-postgresql appending the same ${importedEvents.toLocaleString('en')} events…`);
    emmett = await emmettPeer(context, corpus, importLines, Math.max(900_000, importedEvents * 20));
    progress(`peer: emmett appends ${emmett.appendEventsPerSec.toLocaleString('en')} events/s, projects ${emmett.projectionEventsPerSec.toLocaleString('en')} events/s`);
  }

  const storedNote = importedEvents < 1_000_000 ? `measured with ${importedEvents.toLocaleString('en')} events stored, not 1M` : undefined;
  const queryP99 = Math.max(...Object.values(read).map((query) => query.p99Ms));
  const targets: Target[] = [
    atLeast('rebuild', rebuilt.result.eventsPerSec, 50_000, 'events/s'),
    atLeast('bulk ingest', ingested.eventsPerSec, 20_000, 'events/s'),
    atMost('single command p99 at 200 req/s', written.fixedRate.p99Ms, 20, 'ms'),
    atMost('write-to-visible p99', written.writeToVisible.p99Ms, 200, 'ms'),
    atMost('queries p99 (worst query)', queryP99, 15, 'ms', storedNote),
  ];

  const result = {
    version: 1,
    mode: options.quick ? 'quick' : 'full',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    // Other work on the machine (a shared one) shows here: load above the core count means waiting for CPU.
    loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((load) => Math.round(load * 100) / 100) },
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, postgres: versions[0]!.server_version, postgresSettings, kafka: kafkaVersion() },
    code,
    corpus: {
      events: importedEvents, commands: importLines, parties: size.parties, issues: size.issues, seed: size.seed,
      firstDay: size.startDate, lastDay, generationSeconds: Math.round(generationSeconds * 10) / 10,
      eventTypes: Object.fromEntries(Object.entries(imported.reduce<Record<string, number>>((types, batch) => {
        for (const event of batch.events) types[event.type] = (types[event.type] ?? 0) + 1;
        return types;
      }, {})).sort()),
      singleCommandsAfterwards: corpus.lines.length - importLines,
    },
    ingest: { ...ingested, linesPerRequest: options.linesPerImportRequest, relay: options.relayApart ? 'apart' : 'in the command-api', ceiling: { kafkaProducerPerSec: producer.recordsPerSec, pgCopyRowsPerSec: copy.rowsPerSec, kafkaProducer: producer, pgCopy: copy } },
    rebuild: { ...rebuilt.result, projectionFailures: Number(failures[0]!.count), ceiling: rebuildCeilings, upkeep },
    ...(scaleOutRuns ? { rebuildScaleOut: scaleOutRuns } : {}),
    commands: {
      p50Ms: written.fixedRate.p50Ms, p99Ms: written.fixedRate.p99Ms, perSec: written.fixedRate.perSec, maxPerSec: written.maxRate.perSec,
      fixedRate: written.fixedRate, maxRate: written.maxRate, retractionsLeftOut: written.retractionsLeftOut,
    },
    writeToVisible: written.writeToVisible,
    queries: { storedEvents: importedEvents, clients: options.queries.clients, ...read },
    memory,
    cpu: context.cpu.phases,
    peer: emmett ? { emmett } : { left: 'out (--no-peer)' },
    targets,
  };

  const file = resultFile(startedAt);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);

  const met = (figure: string) => targets.find((target) => target.figure === figure);
  const rows: Row[] = [
    { figure: `bulk ingest (import → journal → Kafka)`, value: perSec(ingested.eventsPerSec), ceiling: `Kafka producer ${perSec(producer.recordsPerSec)}`, ratio: ratio(ingested.eventsPerSec, producer.recordsPerSec), target: met('bulk ingest')!.target, met: met('bulk ingest')!.met },
    { figure: `  import → journal only`, value: perSec(ingested.journalEventsPerSec), ceiling: `Postgres COPY ${perSec(copy.rowsPerSec)}`, ratio: ratio(ingested.journalEventsPerSec, copy.rowsPerSec) },
    { figure: `rebuild, ${rebuilt.result.projections.length} projections from offset 0`, value: perSec(rebuilt.result.eventsPerSec), ceiling: `Kafka consumer ${perSec(consumer.fetchRecordsPerSec)}`, ratio: ratio(rebuilt.result.eventsPerSec, consumer.fetchRecordsPerSec), target: met('rebuild')!.target, met: met('rebuild')!.met },
    { figure: `  its ${readModelCopy.rowsPerEvent} read-model rows an event`, value: perSec(rebuilt.result.eventsPerSec), ceiling: `Postgres COPY ${perSec(readModelCopy.eventsPerSec)}`, ratio: ratio(rebuilt.result.eventsPerSec, readModelCopy.eventsPerSec) },
    { figure: '  then vacuum and analyze of its tables', value: `${upkeep.seconds} s`, ceiling: `${upkeep.tables.length} tables${upkeep.timedOut ? ', gave up waiting' : ''}` },
    ...(scaleOutRuns ?? []).map((run) => {
      const alone = scaleOutRuns![0]!;
      const rate = (of: ScaleOutRun) => of.steady?.eventsPerSec ?? of.eventsPerSec;
      const cost = run.cpuMsPerThousandEvents;
      return {
        figure: `  rebuild by ${run.projectors} projector process${run.projectors === 1 ? '' : 'es'} (${run.steady ? 'group stable → end' : 'ready → end'})`,
        value: perSec(rate(run)),
        ceiling: `${run.projectors === 1 ? 'itself' : `1 projector ${perSec(rate(alone))}`}; CPU ms/1k events: ${cost ? `projectors ${cost.projectors}, Postgres ${cost.postgres}, broker ${cost.broker}` : '—'}`,
        ratio: ratio(rate(run), rate(alone)),
      };
    }),
    { figure: `single command p50 at ${options.fixedRate.perSecond} req/s`, value: ms(written.fixedRate.p50Ms) },
    { figure: `single command p99 at ${options.fixedRate.perSecond} req/s`, value: ms(written.fixedRate.p99Ms), target: met('single command p99 at 200 req/s')!.target, met: met('single command p99 at 200 req/s')!.met },
    { figure: `single commands, max (${options.maxRate.clients} clients)`, value: perSec(written.maxRate.perSec), ceiling: `p50 ${ms(written.maxRate.p50Ms)}, p99 ${ms(written.maxRate.p99Ms)}` },
    { figure: 'write-to-visible p50', value: ms(written.writeToVisible.p50Ms) },
    { figure: 'write-to-visible p99', value: ms(written.writeToVisible.p99Ms), target: met('write-to-visible p99')!.target, met: met('write-to-visible p99')!.met },
    ...Object.entries(read).map(([name, query]) => ({ figure: `query ${name} p50 / p99`, value: `${ms(query.p50Ms)} / ${ms(query.p99Ms)}`, target: '≤ 15 ms (p99)', met: query.p99Ms <= 15 })),
    ...Object.entries(memory).filter(([, peak]) => peak.peakRssMb !== null).map(([name, peak]) => ({ figure: `peak RSS ${name}`, value: `${peak.peakRssMb} MB` })),
    ...(emmett ? [
      { figure: 'peak RSS peer (emmett)', value: `${emmett.peakRssMb} MB` },
      { figure: `peer emmett append (${emmett.appendConcurrency} in flight)`, value: perSec(emmett.appendEventsPerSec), ceiling: `Chancery ingest ${perSec(ingested.journalEventsPerSec)}`, ratio: ratio(emmett.appendEventsPerSec, ingested.journalEventsPerSec) },
      { figure: 'peer emmett positions projection', value: perSec(emmett.projectionEventsPerSec), ceiling: `Chancery rebuild ${perSec(rebuilt.result.eventsPerSec)}`, ratio: ratio(emmett.projectionEventsPerSec, rebuilt.result.eventsPerSec) },
    ] : []),
  ];
  process.stdout.write(`\nChancery bench (${result.mode}): ${importedEvents.toLocaleString('en')} events stored, ${size.parties} parties, ${size.issues} issues; ${result.machine.cpus} cores; Postgres shared_buffers ${postgresSettings.shared_buffers}${options.relayApart ? '; the relay in a process of its own' : ''}\n\n${table(rows)}\n\n`);
  if (storedNote) process.stdout.write(`Queries ${storedNote}.\n`);
  const cpuSummary = context.cpu.summary();
  if (cpuSummary) process.stdout.write(`CPU by phase:\n${cpuSummary}\n`);
  process.stdout.write(`Load average ${loadAtStart.join(' ')} at the start, ${result.loadAverage.atEnd.join(' ')} at the end (${result.machine.cpus} cores).\n`);
  if (options.profileDir) process.stdout.write(`CPU profiles of the apps in ${options.profileDir}/\n`);
  process.stdout.write(`Written to ${file}\n`);
}

async function cleanUp(context: BenchContext): Promise<void> {
  await stopAll();
  if (context.options.keep) return;
  await dropDatabase(context.database.name).catch((error) => progress(`could not drop ${context.database.name}: ${error.message}`));
  await dropDatabase(`${context.database.name}_emmett`).catch((error) => progress(`could not drop the peer database: ${error.message}`));
  await dropDatabase(scaleOutDatabase).catch((error) => progress(`could not drop the scale-out database: ${error.message}`));
  await deleteTopics(context.brokers, context.prefix).catch((error) => progress(`could not delete the topics: ${error.message}`));
  await deleteGroups(context.brokers, context.prefix).catch(() => {});
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS is not set: run the bench with `npm run bench`, which starts the broker');
  const startedAt = new Date();
  const prefix = `bench-${startedAt.toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${randomBytes(2).toString('hex')}`;
  const adminKey = `chk_bench_${randomBytes(18).toString('base64url')}`;
  const server = await claimServer();
  const url = await recreateDatabase(databaseName);
  const walPosition = async () => BigInt((await server.query<{ at: string }>(
    "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS at")).rows[0]!.at);
  const context: BenchContext = {
    options, brokers, prefix, adminKey,
    database: { name: databaseName, url },
    cpu: new CpuMeter(() => ({ ...appPids(), 'kafka-broker': brokerPid(), bench: process.pid }), walPosition),
    appEnv: {
      DATABASE_URL: url, KAFKA_BROKERS: brokers.join(','), CHANCERY_TOPIC_PREFIX: prefix, CHANCERY_EVENT_PARTITIONS: String(partitions),
      CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey, CHANCERY_RATE_LIMIT_PER_SECOND: '1000000', LOG_LEVEL: 'warn',
    },
  };
  let interrupted = false;
  const interrupt = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    progress(`${signal}: stopping what the bench started…`);
    void cleanUp(context).finally(() => process.exit(130));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  process.on('unhandledRejection', (error) => {
    process.stderr.write(`[bench] failed: ${(error as Error)?.stack ?? String(error)}\n`);
    void cleanUp(context).finally(() => process.exit(1));
  });
  progress(`${options.quick ? 'quick' : 'full'} run: database ${databaseName}, topics ${prefix}.*, brokers ${brokers.join(',')}`);
  const partial: Record<string, unknown> = { version: 1, mode: options.quick ? 'quick' : 'full', startedAt: startedAt.toISOString() };
  try {
    await run(context, startedAt, partial);
    return 0;
  } catch (error) {
    // After a Ctrl-C the clean-up drops the database under the run: that failure is not news.
    if (interrupted) await new Promise(() => {});
    const tails = appTails();
    if (tails) process.stderr.write(`${tails}\n`);
    const file = resultFile(startedAt);
    writeFileSync(file, `${JSON.stringify({ ...partial, failed: (error as Error).message, loadAverageAtEnd: loadavg() }, null, 2)}\n`);
    process.stderr.write(`[bench] what was measured before the failure: ${file}\n`);
    throw error;
  } finally {
    if (!interrupted) await cleanUp(context);
  }
}

main().then((code) => process.exit(code), (error: Error) => {
  process.stderr.write(`[bench] failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
