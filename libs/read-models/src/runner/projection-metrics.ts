// Projection gauges for /metrics, read at scrape time from the same bookkeeping GET /v1/projections shows.
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import pg from 'pg';
import { KAFKA, TOPICS, type Topics } from '#event-log';
import { CHANCERY_CONFIG, type ChanceryConfig, Gauge, METRICS, PG_POOL, type Registry } from '#platform';
import { type ProjectionOverview, projectionOverviews } from './projection-overview.js';

/** One read of the overviews serves every gauge of a scrape. */
const freshForMs = 200;

@Injectable()
export class ProjectionMetrics implements OnModuleInit {
  private readonly logger = new Logger('Metrics');
  private cached?: { at: number; overviews: Promise<ProjectionOverview[]> };

  constructor(
    @Inject(METRICS) private readonly registry: Registry,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(CHANCERY_CONFIG) private readonly config: ChanceryConfig,
  ) {}

  private overviews(): Promise<ProjectionOverview[]> {
    if (!this.cached || Date.now() - this.cached.at > freshForMs) {
      this.cached = {
        at: Date.now(),
        overviews: projectionOverviews(this.pool, this.kafka, this.topics.events, this.config.kafka.groupPrefix).catch((error: unknown) => {
          this.logger.warn({ err: (error as Error).message }, 'projection metrics unavailable');
          return [];
        }),
      };
    }
    return this.cached.overviews;
  }

  onModuleInit(): void {
    const overviews = () => this.overviews();
    const gauge = (name: string, help: string, values: (overview: ProjectionOverview) => Array<[Record<string, string>, number]>) =>
      new Gauge({
        name, help, registers: [this.registry], labelNames: ['projection', 'generation', 'status', 'partition'],
        async collect() {
          this.reset();
          for (const overview of await overviews()) {
            const at = { projection: overview.name, generation: String(overview.version), status: overview.status };
            for (const [labels, value] of values(overview)) this.set({ ...at, ...labels }, value);
          }
        },
      });
    gauge('chancery_projection_events_applied', 'Events applied by a projection generation', (overview) => [[{}, overview.eventsApplied]]);
    gauge('chancery_projection_failures', 'Events set aside (projection_failures, copied to the DLQ topic)', (overview) => [[{}, overview.failures]]);
    gauge('chancery_projection_lag_seconds', 'Age of the oldest event a projection generation has not applied', (overview) => [[{}, overview.lag.seconds ?? 0]]);
    gauge('chancery_projection_lag_events', 'Events on the topic a projection generation has not applied, per partition', (overview) =>
      overview.lag.partitions.map((partition) => [{ partition: String(partition.partition) }, partition.events]));
  }
}
