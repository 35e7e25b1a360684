// Postgres for every module: a TypeORM data source that migrates at start-up, and a plain pg pool
// for the set-based SQL and LISTEN/NOTIFY that the journal and projections need.
import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import pg from 'pg';
import type { MixedList } from 'typeorm';
import { CHANCERY_CONFIG } from '../config/config.module.js';
import type { ChanceryConfig } from '../config/config.js';
import { ensureDatabase } from './ensure-database.js';

export const PG_POOL = Symbol('PgPool');
const logger = new Logger('Database');

type MigrationClass = MixedList<new () => unknown>;

@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  static forRoot(options: { migrations: MigrationClass }) {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [CHANCERY_CONFIG],
          useFactory: async (config: ChanceryConfig) => {
            await ensureDatabase(config.databaseUrl);
            return {
              type: 'postgres' as const,
              url: config.databaseUrl,
              migrations: options.migrations as MixedList<string | (new () => never)>,
              migrationsRun: true,
              migrationsTransactionMode: 'each' as const,
              synchronize: false,
              logging: ['error' as const],
              extra: { max: 5, application_name: 'chancery-typeorm' },
            };
          },
        }),
      ],
      providers: [
        {
          provide: PG_POOL,
          inject: [CHANCERY_CONFIG],
          useFactory: (config: ChanceryConfig) => {
            const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10, application_name: 'chancery' });
            // An idle client whose backend went away must not take the process down; the pool replaces it.
            pool.on('error', (error) => logger.warn(`idle Postgres connection lost: ${error.message}`));
            // Nor one that is checked out (pg-pool listens only to idle ones): its pending query fails,
            // the code holding it answers 503, and release() drops it since it is no longer queryable.
            pool.on('connect', (client) => {
              client.on('error', (error) => logger.warn(`Postgres connection lost while in use: ${error.message}`));
            });
            return pool;
          },
        },
      ],
      exports: [PG_POOL, TypeOrmModule],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
