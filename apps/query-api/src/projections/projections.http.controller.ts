import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import pg from 'pg';
import { PG_POOL, ProblemError, RequiresRole } from '#platform';
import { projections, RebuildInProgress, requestRebuild } from '#read-models';
import { GetProjections } from './projections-overview.query.js';

@ApiTags('projections')
@ApiBearerAuth()
@RequiresRole('admin')
@Controller('v1/projections')
export class ProjectionsHttpController {
  constructor(private readonly queries: QueryBus, @Inject(PG_POOL) private readonly pool: pg.Pool) {}

  @Get()
  list() {
    return this.queries.execute(new GetProjections());
  }

  /**
   * Rebuilds the projection from offset 0 into a new generation beside the live one; the projector
   * swaps it in when it has caught up. 202: follow it in GET /v1/projections or on /v1/stream.
   */
  @Post(':name/rebuild')
  @HttpCode(202)
  async rebuild(@Param('name') name: string) {
    const projection = projections.find((candidate) => candidate.name === name);
    if (!projection) {
      throw ProblemError.of(404, 'not-found', `No projection is named "${name}"; known: ${projections.map((known) => known.name).join(', ')}.`);
    }
    try {
      const version = await requestRebuild(this.pool, projection);
      return { name, version, status: 'rebuilding' };
    } catch (error) {
      if (error instanceof RebuildInProgress) {
        throw ProblemError.of(409, 'rebuild-in-progress', error.message, { version: error.generation });
      }
      throw error;
    }
  }
}
