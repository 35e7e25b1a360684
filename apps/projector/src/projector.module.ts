import { Module } from '@nestjs/common';
import { ProjectorService } from './projector.service.js';

/** The read side's writer: Kafka → projections → Postgres read models. */
@Module({ providers: [ProjectorService], exports: [ProjectorService] })
export class ProjectorModule {}
