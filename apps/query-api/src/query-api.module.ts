import { Module } from '@nestjs/common';

/** The query-api features; the infrastructure (config, Postgres, Kafka) comes from main.ts. */
@Module({})
export class QueryApiModule {}
