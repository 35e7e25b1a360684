import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem, RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery, ApiReadModels } from '../../shared/openapi.js';
import { GetDemand } from './get-demand/get-demand.query.js';
import { demandsQuery, ListDemands } from './list-demands/list-demands.query.js';

@ApiTags('demands')
@ApiReadModels()
@RequiresRole('reader')
@Controller('v1/demands')
export class DemandsHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** Demands, newest issued first, with each addressee's standing answer. */
  @Get()
  @ApiListQuery(demandsQuery)
  @ApiOperation({ operationId: 'listDemands', summary: 'List demands with their answers, newest first' })
  @ApiOkResponse({ description: 'A page of demands.' })
  list(@QueryParams(new ZodPipe(demandsQuery, 'query')) filter: ReturnType<typeof demandsQuery.parse>) {
    return this.queries.execute(new ListDemands(filter));
  }

  /** One demand with its terms and its history, retracted steps flagged. */
  @Get(':id')
  @ApiOperation({ operationId: 'getDemand', summary: 'Get a demand with its history' })
  @ApiOkResponse({ description: 'The demand and its history.' })
  @ApiProblem(404, 'No demand has this id.')
  get(@Param('id') id: string) {
    return this.queries.execute(new GetDemand(id));
  }
}
