import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventsHttpController } from './events.http.controller.js';
import { ListEventsHandler, ListStreamEventsHandler } from './list-events.query.js';

@Module({
  imports: [CqrsModule],
  controllers: [EventsHttpController],
  providers: [ListEventsHandler, ListStreamEventsHandler],
})
export class EventsQueryModule {}
