import { Global, Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { PG_POOL } from '#platform';
import { projections } from './projections/index.js';
import { ProjectionMetrics } from './runner/projection-metrics.js';
import { setUpProjection } from './runner/projection-setup.js';

/**
 * Every process that reads or writes read models sets them up before it serves: schemas, tables,
 * the live version's views. Idempotent, and serialised across processes by an advisory lock.
 */
@Injectable()
export class ReadModelsSetup implements OnModuleInit {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async onModuleInit(): Promise<void> {
    for (const projection of projections) await setUpProjection(this.pool, projection);
  }
}

@Global()
@Module({ providers: [ReadModelsSetup, ProjectionMetrics], exports: [ReadModelsSetup] })
export class ReadModelsModule {}
