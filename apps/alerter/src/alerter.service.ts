// Runs the alerter: the rules over the events topic (its own consumer group), the timer for
// unanswered demands, the webhook deliveries and the publisher of the alerts topic. A NOTIFY as an
// alert commits (or a rule changes) wakes the loops; each also polls, so a lost one only delays.
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventLogProducer, KAFKA, TOPICS, type Topics, TopicsReady } from '#event-log';
import { CHANCERY_CONFIG, type ChanceryConfig, PG_POOL } from '#platform';
import { generationGroup, ProjectionRunner, recordAlerterRunning } from '#read-models';
import { ALERTER_SETTINGS, type AlerterSettings } from './alerter-settings.js';
import { alertChannel, alertRuleChannel } from '#read-models';
import { DeliveryWorker } from './delivery/delivery-worker.js';
import { alerterProjection, sweepUnansweredDemands } from './evaluation/alerter.projection.js';
import { AlertPublisher } from './publishing/alert-publisher.js';
import { Pause } from './pause.js';

/** The alerter is never rebuilt beside itself (ADR 0006): one generation, one consumer group. */
const alerterGeneration = 1;

@Injectable()
export class AlerterService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Alerter');
  private readonly sweepPause = new Pause();
  private readonly listenPause = new Pause();
  private readonly deliveries: DeliveryWorker;
  private runner?: ProjectionRunner;
  private publisher?: AlertPublisher;
  private producer?: EventLogProducer;
  private listener?: pg.Client;
  private loops: Array<Promise<void>> = [];
  /** Starting to consume, once the topics exist (never, if Kafka never answers). */
  private starting?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(CHANCERY_CONFIG) private readonly config: ChanceryConfig,
    @Inject(ALERTER_SETTINGS) private readonly settings: AlerterSettings,
    private readonly topicsReady: TopicsReady,
  ) {
    this.deliveries = new DeliveryWorker(pool, settings.delivery);
  }

  onApplicationBootstrap(): void {
    this.deliveries.start();
    this.loops.push(this.sweep(), this.listen());
    void this.topicsReady.ready.then(() => {
      this.starting = this.startConsuming();
    });
  }

  /** Until it consumes: a broker still starting may close a first connection. */
  private async startConsuming(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.startConsumingOnce();
        return;
      } catch (error) {
        if (this.stopped) return;
        this.logger.warn({ err: (error as Error).message }, 'the alerter could not start consuming; retrying');
        await this.producer?.disconnect().catch(() => {});
        await sleep(2_000);
      }
    }
  }

  private async startConsumingOnce(): Promise<void> {
    this.producer = new EventLogProducer(this.kafka);
    await this.producer.connect();
    this.publisher = new AlertPublisher(this.pool, this.producer, {
      topic: this.topics.alerts,
      partitionCount: await this.producer.partitionCount(this.topics.alerts),
      pollMs: this.settings.pollMs,
    });
    const projection = alerterProjection();
    this.runner = new ProjectionRunner(projection, this.pool, this.kafka, this.producer, {
      topic: this.topics.events,
      dlqTopic: this.topics.eventsDlq,
      groupPrefix: this.config.kafka.groupPrefix,
      failurePolicy: this.config.projectionFailurePolicy,
      generation: alerterGeneration,
    });
    if (this.stopped) return;
    // Listed in GET /v1/projections from now on, with its lag and status (a halt lands there too).
    await recordAlerterRunning(this.pool, projection, alerterGeneration);
    await this.runner.start();
    if (this.stopped) return;
    this.publisher.start();
    this.logger.log({ group: generationGroup(this.config.kafka.groupPrefix, projection.name, alerterGeneration) }, 'alerter consuming');
  }

  /** Unanswered demands become overdue with time alone: checked on a timer, and at once when a rule changes. */
  private async sweep(): Promise<void> {
    while (!this.sweepPause.isStopped) {
      try {
        const raised = await sweepUnansweredDemands(this.pool, new Date());
        if (raised > 0) this.logger.log({ raised }, 'overdue demands alerted');
      } catch (error) {
        if (!this.stopped) this.logger.warn({ err: (error as Error).message }, 'unanswered-demand sweep failed; retrying');
      }
      await this.sweepPause.for(this.settings.sweepMs);
    }
  }

  /** One LISTEN connection: new alerts wake the deliveries and the publisher, changed rules the sweep. */
  private async listen(): Promise<void> {
    while (!this.listenPause.isStopped) {
      const client = new pg.Client({ connectionString: this.config.databaseUrl, application_name: 'chancery-alerter' });
      try {
        const ended = new Promise<void>((resolve) => {
          client.on('error', () => resolve());
          client.on('end', () => resolve());
        });
        client.on('notification', ({ channel }) => {
          if (channel === alertChannel) {
            this.deliveries.wake();
            this.publisher?.wake();
          } else if (channel === alertRuleChannel) {
            this.sweepPause.wake();
          }
        });
        // Known before it connects, so a shutdown meanwhile ends it too; one before that ends here.
        this.listener = client;
        await client.connect();
        if (this.listenPause.isStopped) return;
        await client.query(`LISTEN ${alertChannel}`);
        await client.query(`LISTEN ${alertRuleChannel}`);
        await ended;
      } catch (error) {
        if (!this.stopped) this.logger.warn({ err: (error as Error).message }, 'alerter notifications lost; reconnecting');
      } finally {
        await client.end().catch(() => {});
      }
      await this.listenPause.for(1_000);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.sweepPause.stop();
    this.listenPause.stop();
    await this.listener?.end().catch(() => {});
    await Promise.all([
      this.runner?.stop().catch(() => {}),
      this.publisher?.stop(),
      this.deliveries.stop(),
      ...this.loops,
    ]);
    // A start in flight sees `stopped` and goes no further; its runner was stopped above.
    await this.starting;
    await this.producer?.disconnect().catch(() => {});
  }
}
