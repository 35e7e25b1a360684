import { Module } from '@nestjs/common';

/** The command-api features; the infrastructure (config, Postgres, Kafka) comes from main.ts. */
@Module({})
export class CommandApiModule {}
