import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import pg from 'pg';
import { ApiProblem, ApiProblems, PG_POOL, ProblemError, RequiresRole } from '#platform';
import { projections, RebuildInProgress, requestRebuild } from '#read-models';
import { GetProjections } from './projections-overview.query.js';

@ApiTags('projections')
@RequiresRole('admin')
@Controller('v1/projections')
export class ProjectionsHttpController {
  constructor(private readonly queries: QueryBus, @Inject(PG_POOL) private readonly pool: pg.Pool) {}

  @Get()
  @ApiOperation({ operationId: 'listProjections', summary: 'List the projections and the alerter: status and lag per partition' })
  @ApiOkResponse({ description: 'Each projection generation, and the alerter.' })
  @ApiProblem(503, 'Kafka or the database is not reachable right now; retry shortly.')
  async list() {
    try {
      return await this.queries.execute(new GetProjections());
    } catch (error) {
      // The lag is measured against the topic's ends: without Kafka there is nothing to measure.
      if ((error as Error).name?.startsWith('KafkaJS')) {
        throw ProblemError.of(503, 'kafka-unavailable', 'Kafka did not answer with the end offsets of the events topic; retry shortly.');
      }
      throw error;
    }
  }

  /**
   * Rebuilds the projection from offset 0 into a new generation beside the live one; the projector
   * swaps it in when it has caught up. 202: follow it in GET /v1/projections or on /v1/stream.
   */
  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiOperation({ operationId: 'rebuildProjection', summary: 'Rebuild a projection from offset 0 beside the live one' })
  @ApiAcceptedResponse({ description: 'The rebuild is requested; follow it in GET /v1/projections.' })
  @ApiProblems([404, 'No projection has this name.'], [409, 'A rebuild of this projection is already running.'])
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
