import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ReadModelsModule } from '#read-models';
import { AlertsQueryModule } from './alerts/alerts-query.module.js';
import { ConsoleModule } from './console/console.module.js';
import { DevelopmentsQueryModule } from './developments/developments.module.js';
import { EventsQueryModule } from './events/events.module.js';
import { PartiesQueryModule } from './parties/parties.module.js';
import { PositionsQueryModule } from './positions/positions.module.js';
import { RelationsQueryModule } from './relations/relations.module.js';
import { ListProjectionFailuresHandler } from './projections/list-projection-failures.query.js';
import { ProjectionFailuresHttpController } from './projections/projection-failures.http.controller.js';
import { GetProjectionsHandler } from './projections/projections-overview.query.js';
import { ProjectionsHttpController } from './projections/projections.http.controller.js';
import { ConsistencyInterceptor } from './shared/consistency.interceptor.js';
import { DevelopmentLog } from './stream/development-log.service.js';
import { LiveFeed } from './stream/live-feed.service.js';
import { StreamHttpController } from './stream/stream.http.controller.js';
import { GetTimelineHandler } from './timeline/get-timeline.query.js';
import { TimelineHttpController } from './timeline/timeline.http.controller.js';

/** The read side over HTTP: query handlers read the read-model tables directly; the console's pages over them. */
@Module({
  imports: [
    CqrsModule.forRoot(),
    ReadModelsModule,
    PartiesQueryModule,
    PositionsQueryModule,
    DevelopmentsQueryModule,
    RelationsQueryModule,
    EventsQueryModule,
    AlertsQueryModule,
    ConsoleModule,
  ],
  controllers: [TimelineHttpController, StreamHttpController, ProjectionsHttpController, ProjectionFailuresHttpController],
  providers: [
    { provide: APP_INTERCEPTOR, useClass: ConsistencyInterceptor },
    GetTimelineHandler, GetProjectionsHandler, ListProjectionFailuresHandler, LiveFeed, DevelopmentLog,
  ],
})
export class QueryApiModule {}
