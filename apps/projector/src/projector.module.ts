import { Module } from '@nestjs/common';
import { ReadModelsModule } from '#read-models';
import { ProjectorService } from './projector.service.js';

/** The read side's writer: Kafka → projections → Postgres read models. */
@Module({ imports: [ReadModelsModule], providers: [ProjectorService], exports: [ProjectorService] })
export class ProjectorModule {}
