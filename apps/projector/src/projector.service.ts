// Keeps every read model: runs each projection version over the events topic (ReadModelsModule has set them up).
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import pg from 'pg';
import { EventLogProducer, KAFKA, TOPICS, type Topics, TopicsReady } from '#event-log';
import { CHANCERY_CONFIG, type ChanceryConfig, PG_POOL } from '#platform';
import { ProjectionRunner, projections } from '#read-models';

@Injectable()
export class ProjectorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projector');
  private readonly runners: ProjectionRunner[] = [];
  private dlq?: EventLogProducer;
  private stopped = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(CHANCERY_CONFIG) private readonly config: ChanceryConfig,
    private readonly topicsReady: TopicsReady,
  ) {}

  onApplicationBootstrap(): void {
    void this.topicsReady.ready.then(() => this.start()).catch((error) => {
      if (!this.stopped) this.logger.error({ err: error }, 'the projector could not start');
    });
  }

  private async start(): Promise<void> {
    if (this.stopped) return;
    this.dlq = new EventLogProducer(this.kafka);
    await this.dlq.connect();
    for (const projection of projections) {
      if (this.stopped) return;
      const runner = new ProjectionRunner(projection, this.pool, this.kafka, this.dlq, {
        topic: this.topics.events,
        dlqTopic: this.topics.eventsDlq,
        groupPrefix: this.config.kafka.groupPrefix,
        failurePolicy: this.config.projectionFailurePolicy,
      });
      this.runners.push(runner);
      await runner.start();
    }
    this.logger.log({ projections: projections.map((projection) => `${projection.name}@v${projection.version}`) }, 'projections running');
  }

  get running(): readonly ProjectionRunner[] {
    return this.runners;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.runners.map((runner) => runner.stop().catch(() => {})));
    await this.dlq?.disconnect().catch(() => {});
  }
}
