import { Module } from '@nestjs/common';

/** The alerter features; the infrastructure (config, Postgres, Kafka) comes from main.ts. */
@Module({})
export class AlerterModule {}
