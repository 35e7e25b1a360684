// The Kafka side of every app: one client, the deployment's topics (created in the background,
// so a process starts even while the broker is away), and a readiness check.
import { Global, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHANCERY_CONFIG, type ChanceryConfig, Counter, Gauge, METRICS, READINESS_CHECKS, type ReadinessCheck, type Registry } from '#platform';
import { consumerGroupLag } from './consumer-lag.js';
import { consumerGroupsOf, consumerReplacements } from './consumer.js';
import { createKafka } from './kafka-client.js';
import { checkKafka } from './kafka.health.js';
import { ensureTopics, topicSpecs, TopicPartitionMismatch } from './topic-admin.js';
import { type Topics, topicsFor } from './topics.js';

export const KAFKA = Symbol('Kafka');
/** A client that never retries by itself: for readiness probes and loops that retry on their own terms. */
export const KAFKA_PROBE = Symbol('KafkaProbe');
export const TOPICS = Symbol('Topics');

/** Resolves once the topics exist with the intended configs; retried until the broker answers. */
@Injectable()
export class TopicsReady implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Topics');
  private readonly abort = new AbortController();
  private resolveReady!: () => void;
  private ensuring?: Promise<void>;
  readonly ready = new Promise<void>((resolve) => (this.resolveReady = resolve));

  constructor(
    @Inject(KAFKA_PROBE) private readonly kafka: Kafka,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(CHANCERY_CONFIG) private readonly config: ChanceryConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.ensuring = this.ensure();
  }

  /** An attempt in flight finishes (kafkajs bounds it) rather than outlive the process's clients. */
  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.ensuring;
  }

  private async ensure(): Promise<void> {
    const specs = topicSpecs(this.topics, this.config.kafka.eventPartitions, this.config.kafka);
    for (let attempt = 1; !this.abort.signal.aborted; attempt++) {
      const admin = this.kafka.admin();
      try {
        await admin.connect();
        for (const { topic, replicas, configured } of await ensureTopics(admin, specs)) {
          this.logger.warn({ topic, replicas, configured },
            `topic ${topic} has ${replicas} replicas per partition, CHANCERY_TOPIC_REPLICATION_FACTOR says ${configured}; reassign its partitions to add them`);
        }
        this.logger.log({ topics: specs.map((spec) => spec.topic) }, 'topics ready');
        this.resolveReady();
        return;
      } catch (error) {
        if (error instanceof TopicPartitionMismatch) {
          this.logger.error(error.message);
          return;
        }
        this.logger.warn({ attempt, err: (error as Error).message }, 'topics not ready yet; retrying');
        await sleep(Math.min(500 * attempt, 5_000), undefined, { signal: this.abort.signal }).catch(() => {});
      } finally {
        await admin.disconnect().catch(() => {});
      }
    }
  }
}

/**
 * `chancery_consumer_replacements_total`: how often each consumer group's member had to be replaced,
 * and why; `chancery_consumer_lag_events`: Kafka's consumer lag of each group this app consumes in.
 */
@Injectable()
export class ConsumerMetrics implements OnModuleInit {
  private readonly logger = new Logger('Metrics');

  constructor(
    @Inject(METRICS) private readonly registry: Registry,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(KAFKA_PROBE) private readonly probe: Kafka,
  ) {}

  onModuleInit(): void {
    const { kafka, probe, logger } = this;
    new Gauge({
      name: 'chancery_consumer_lag_events',
      help: "Events on the topic past the consumer group's committed offset, per partition (Kafka's consumer lag); "
        + 'every member of a group reports the whole group, so aggregate with max by (group, partition)',
      labelNames: ['group', 'topic', 'partition'],
      registers: [this.registry],
      async collect() {
        this.reset();
        // The probe client gives up at once: a scrape while Kafka is away answers without the lag, in time.
        const lag = await consumerGroupLag(probe, consumerGroupsOf(kafka)).catch((error: unknown) => {
          logger.warn({ err: (error as Error).message }, 'consumer lag unavailable');
          return [];
        });
        for (const { group, topic, partition, events } of lag) this.set({ group, topic, partition: String(partition) }, events);
      },
    });
    new Counter({
      name: 'chancery_consumer_replacements_total',
      help: 'Kafka consumers replaced by a new member of their group: crash (one kafkajs would not restart), stall, start-failed, start-position-unreadable',
      labelNames: ['group', 'kind'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { group, kind, count } of consumerReplacements()) this.inc({ group, kind }, count);
      },
    });
  }
}

@Global()
@Module({})
export class EventLogModule {
  static forRoot(clientId: string) {
    return {
      module: EventLogModule,
      providers: [
        {
          provide: KAFKA,
          inject: [CHANCERY_CONFIG],
          useFactory: (config: ChanceryConfig) => createKafka(config.kafka.brokers, clientId),
        },
        {
          provide: KAFKA_PROBE,
          inject: [CHANCERY_CONFIG],
          useFactory: (config: ChanceryConfig) =>
            createKafka(config.kafka.brokers, `${clientId}-probe`, { retry: { retries: 0 }, connectionTimeout: 1_000 }),
        },
        {
          provide: TOPICS,
          inject: [CHANCERY_CONFIG],
          useFactory: (config: ChanceryConfig) => topicsFor(config.kafka.topicPrefix),
        },
        {
          provide: READINESS_CHECKS,
          inject: [KAFKA_PROBE],
          useFactory: (kafka: Kafka): ReadinessCheck[] => [
            { name: 'kafka', check: (signal) => checkKafka(kafka, signal) },
          ],
        },
        TopicsReady,
        ConsumerMetrics,
      ],
      exports: [KAFKA, KAFKA_PROBE, TOPICS, READINESS_CHECKS, TopicsReady],
    };
  }
}
