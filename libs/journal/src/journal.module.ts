import { type BeforeApplicationShutdown, Global, Inject, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import pg from 'pg';
import { EventLogProducer, KAFKA, TOPICS, type Topics, TopicsReady } from '#event-log';
import { CHANCERY_CONFIG, type ChanceryConfig, Counter, Gauge, METRICS, PG_POOL, type Registry } from '#platform';
import { Journal } from './journal.js';
import { Relay } from './relay.js';

/** Runs the outbox relay in this process once the topics exist; stops it before the pool closes. */
@Injectable()
export class RelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Relay');
  private relay?: Relay;
  private producer?: EventLogProducer;
  private stopped = false;
  private stopWakes?: () => void;

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(CHANCERY_CONFIG) private readonly config: ChanceryConfig,
    private readonly topicsReady: TopicsReady,
    @Inject(METRICS) private readonly registry: Registry,
    private readonly journal: Journal,
  ) {}

  onApplicationBootstrap(): void {
    const pool = this.pool;
    new Gauge({
      name: 'chancery_outbox_backlog',
      help: 'Journal events not yet published to Kafka',
      registers: [this.registry],
      async collect() {
        const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox');
        this.set(Number(rows[0]!.n));
      },
    });
    const relay = () => this.relay;
    new Counter({
      name: 'chancery_relay_published_events_total',
      help: 'Events this process published from the journal to Kafka',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(relay()?.stats.published ?? 0);
      },
    });
    void this.topicsReady.ready.then(() => this.start());
  }

  private async start(): Promise<void> {
    if (this.stopped) return;
    this.producer = new EventLogProducer(this.kafka);
    try {
      await this.producer.connect();
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'producer not connected yet; the relay retries per batch');
    }
    if (this.stopped) return;
    this.relay = new Relay(this.pool, this.producer, {
      databaseUrl: this.config.databaseUrl,
      topic: this.topics.events,
      partitionCount: this.config.kafka.eventPartitions,
      // A failpoint for the crash tests: die the worst way, after Kafka has the batch and before the mark.
      afterPublish: process.env.CHANCERY_FAILPOINT === 'relay-after-publish'
        ? async () => void process.kill(process.pid, 'SIGKILL')
        : undefined,
    });
    this.relay.start();
    // Appends in this process wake the relay directly while it owns the outbox (no NOTIFY needed).
    const relay = this.relay;
    this.stopWakes = this.journal.onAppended(() => {
      if (!relay.ownsOutbox) return false;
      relay.wakeUp();
      return true;
    });
  }

  get stats() {
    return this.relay?.stats;
  }

  /** Before the pools close: the relay finishes its batch with Postgres and Kafka still there. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stopWakes?.();
    await this.relay?.stop();
    await this.producer?.disconnect().catch(() => {});
  }
}

@Global()
@Module({
  providers: [
    { provide: Journal, inject: [PG_POOL], useFactory: (pool: pg.Pool) => new Journal(pool) },
  ],
  exports: [Journal],
})
export class JournalModule {}

/** The relay, in the one process that owns publishing (command-api, or the standalone server). */
@Module({ providers: [RelayService], exports: [RelayService] })
export class RelayModule {}
