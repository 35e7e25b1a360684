import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Kafka } from 'kafkajs';
import pg from 'pg';
import { KAFKA, TOPICS, type Topics } from '#event-log';
import { CHANCERY_CONFIG, type ChanceryConfig, PG_POOL } from '#platform';
import { type ProjectionOverview, projectionOverviews } from '#read-models';

export class GetProjections extends Query<ProjectionOverview[]> {}

@QueryHandler(GetProjections)
export class GetProjectionsHandler implements IQueryHandler<GetProjections, ProjectionOverview[]> {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(CHANCERY_CONFIG) private readonly config: ChanceryConfig,
  ) {}

  execute(): Promise<ProjectionOverview[]> {
    return projectionOverviews(this.pool, this.kafka, this.topics.events, this.config.kafka.groupPrefix);
  }
}
