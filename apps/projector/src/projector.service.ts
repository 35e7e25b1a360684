// Keeps every read model: runs the live generation of each projection and any rebuild beside it,
// swaps a rebuild in once it has caught up, and retires the old generation. The live generations
// read the topic together, each rebuild with a consumer group of its own (ADR 0008).
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventLogProducer, KAFKA, TOPICS, type Topics, TopicsReady } from '#event-log';
import { CHANCERY_CONFIG, type ChanceryConfig, PG_POOL } from '#platform';
import {
  dropGeneration, type GenerationRow, tendReadModels, LiveProjectionsRunner, type Projection, projectionControlChannel, ProjectionRunner, projections,
  trySwap,
} from '#read-models';

/** How often the projector looks again without a notification. */
const reconcileMs = 1_000;
/** How often it looks for read-model tables that changed much since the planner last saw them. */
const upkeepMs = 30_000;

@Injectable()
export class ProjectorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projector');
  /** Rebuilds, each reading the topic with its own group. */
  private readonly runners = new Map<string, ProjectionRunner>();
  /** The live generations, reading the topic together. */
  private live?: LiveProjectionsRunner;
  private dlq?: EventLogProducer;
  private listener?: pg.Client;
  private stopped = false;
  private wake?: () => void;
  private upkeepTimer?: NodeJS.Timeout;
  private upkeeping = false;
  private loop?: Promise<void>;

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(CHANCERY_CONFIG) private readonly config: ChanceryConfig,
    private readonly topicsReady: TopicsReady,
  ) {}

  onApplicationBootstrap(): void {
    // The loop exists only once the topics do: a shutdown before that (Kafka never reachable) has nothing to wait for.
    void this.topicsReady.ready.then(() => {
      if (this.stopped) return;
      this.loop = this.run().catch((error) => {
        if (!this.stopped) this.logger.error({ err: error }, 'the projector stopped');
      });
    });
  }

  get running(): readonly ProjectionRunner[] {
    return [...this.live?.members ?? [], ...this.runners.values()];
  }

  private async run(): Promise<void> {
    if (this.stopped) return;
    this.upkeepTimer = setInterval(() => void this.upkeep(), upkeepMs);
    this.upkeepTimer.unref();
    this.dlq = new EventLogProducer(this.kafka);
    let connected = false;
    while (!this.stopped) {
      try {
        // A broker still starting may close a first connection: that is retried like any other step.
        if (!connected) {
          await this.dlq.connect();
          connected = true;
        }
        await this.reconcile();
      } catch (error) {
        this.logger.warn({ err: (error as Error).message }, 'reconcile failed; retrying');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, reconcileMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Vacuums and analyzes the running generations' tables that autovacuum has not caught up with. */
  private async upkeep(): Promise<void> {
    if (this.upkeeping || this.stopped) return;
    this.upkeeping = true;
    try {
      const generations = this.running.map((runner) => ({ projection: runner.projection.name, version: runner.generation }));
      const tended = await tendReadModels(this.pool, generations);
      if (tended.length > 0) this.logger.log({ tables: tended }, 'read-model tables vacuumed and analyzed');
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'read-model upkeep failed; trying again later');
    } finally {
      this.upkeeping = false;
    }
  }

  /** A rebuild requested by another process (the API) starts here within a notification. */
  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.config.databaseUrl, application_name: 'chancery-projector' });
    client.on('error', () => {
      this.listener = undefined;
    });
    client.on('notification', () => this.wake?.());
    await client.connect();
    await client.query(`LISTEN ${projectionControlChannel}`);
    this.listener = client;
  }

  private key(projection: Projection, generation: number): string {
    return `${projection.name}@${generation}`;
  }

  /** Runs what should run, stops what should not, and swaps rebuilds that caught up. */
  private async reconcile(): Promise<void> {
    if (!this.listener && !this.stopped) await this.listen().catch(() => {});
    const { rows } = await this.pool.query<GenerationRow>(
      `SELECT projection, version, status, is_live, code_version, started_at FROM projection_status
       WHERE is_live OR status = 'rebuilding'`);
    const wanted = new Map<string, { projection: Projection; generation: number; live: boolean }>();
    for (const projection of projections) {
      for (const row of rows.filter((candidate) => candidate.projection === projection.name)) {
        // A live generation built by older code is frozen until its rebuild swaps in: this code
        // may not even fit its tables.
        if (row.code_version !== projection.version || row.status === 'halted') continue;
        wanted.set(this.key(projection, row.version), { projection, generation: row.version, live: row.is_live });
      }
    }
    const runnerOf = (projection: Projection, generation: number, live: boolean) => new ProjectionRunner(projection, this.pool, this.kafka, this.dlq!, {
      topic: this.topics.events,
      dlqTopic: this.topics.eventsDlq,
      groupPrefix: this.config.kafka.groupPrefix,
      failurePolicy: this.config.projectionFailurePolicy,
      generation,
      live,
    });

    const rebuilds = new Map([...wanted].filter(([, want]) => !want.live));
    for (const [key, runner] of this.runners) {
      if (rebuilds.has(key)) continue;
      // Gone, or swapped in: a live generation reads with the others, and only it may notify dashboards.
      this.runners.delete(key);
      await runner.stop().catch(() => {});
    }
    for (const [key, { projection, generation }] of rebuilds) {
      if (this.runners.has(key) || this.stopped) continue;
      const runner = runnerOf(projection, generation, false);
      this.runners.set(key, runner);
      await runner.start().catch(async (error) => {
        // Not kept: the next look starts it again.
        this.runners.delete(key);
        await runner.stop().catch(() => {});
        throw error;
      });
      this.logger.log({ projection: projection.name, generation }, 'rebuild running');
    }

    const live = [...wanted.values()].filter((want) => want.live);
    const liveKey = LiveProjectionsRunner.keyOf(live.map(({ projection, generation }) => ({ projection, generation })));
    if (this.live && this.live.key !== liveKey) await this.stopLive();
    if (!this.live && live.length > 0 && !this.stopped) {
      this.live = new LiveProjectionsRunner(live.map(({ projection, generation }) => runnerOf(projection, generation, true)), this.pool, this.kafka, {
        topic: this.topics.events,
        groupPrefix: this.config.kafka.groupPrefix,
      });
      await this.live.start().catch(async (error) => {
        await this.stopLive();
        throw error;
      });
      this.logger.log({ projections: liveKey }, 'live projections running');
    }
    const rebuilding = rows.filter((row) => row.status === 'rebuilding');
    if (rebuilding.length > 0) await this.swapCaughtUp(rebuilding);
  }

  private async swapCaughtUp(rebuilding: GenerationRow[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    let ends: Map<number, string>;
    try {
      const offsets = await admin.fetchTopicOffsets(this.topics.events);
      ends = new Map(offsets.map((offset) => [offset.partition, offset.high]));
    } finally {
      await admin.disconnect();
    }
    for (const row of rebuilding) {
      const projection = projections.find((candidate) => candidate.name === row.projection);
      if (!projection || row.code_version !== projection.version) continue;
      const outcome = await trySwap(this.pool, projection, row.version, ends);
      if (!outcome.swapped) continue;
      this.logger.log({ projection: projection.name, from: outcome.from, to: outcome.to, swapMs: Math.round(outcome.tookMs) }, 'rebuild swapped in');
      // The retired generation stops being fed before its tables go; the next look starts the
      // live projections again with the new generation among them.
      if (this.live?.members.some((member) => member.projection.name === projection.name && member.generation === outcome.from)) {
        await this.stopLive();
      }
      // Queries that began on the old tables finish first: DROP waits for their locks.
      await sleep(100);
      await dropGeneration(this.pool, projection, outcome.from);
    }
  }

  private async stopLive(): Promise<void> {
    const live = this.live;
    this.live = undefined;
    await live?.stop().catch(() => {});
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.upkeepTimer);
    this.wake?.();
    await Promise.all([...this.runners.values(), ...this.live ? [this.live] : []].map((runner) => runner.stop().catch(() => {})));
    await this.loop;
    await this.listener?.end().catch(() => {});
    await this.dlq?.disconnect().catch(() => {});
  }
}
