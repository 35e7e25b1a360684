import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GetRelationHandler } from './get-relation.query.js';
import { RelationsHttpController } from './relations.http.controller.js';

@Module({
  imports: [CqrsModule],
  controllers: [RelationsHttpController],
  providers: [GetRelationHandler],
})
export class RelationsQueryModule {}
