import { Module } from '@nestjs/common';

/** The projector features; the infrastructure (config, Postgres, Kafka) comes from main.ts. */
@Module({})
export class ProjectorModule {}
