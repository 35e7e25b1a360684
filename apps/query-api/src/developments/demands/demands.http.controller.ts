import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery } from '../../shared/openapi.js';
import { GetDemand } from './get-demand/get-demand.query.js';
import { demandsQuery, ListDemands } from './list-demands/list-demands.query.js';

@ApiTags('demands')
@ApiBearerAuth()
@RequiresRole('reader')
@Controller('v1/demands')
export class DemandsHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** Demands, newest issued first, with each addressee's standing answer. */
  @Get()
  @ApiListQuery(demandsQuery)
  list(@QueryParams(new ZodPipe(demandsQuery, 'query')) filter: ReturnType<typeof demandsQuery.parse>) {
    return this.queries.execute(new ListDemands(filter));
  }

  /** One demand with its terms and its history, retracted steps flagged. */
  @Get(':id')
  get(@Param('id') id: string) {
    return this.queries.execute(new GetDemand(id));
  }
}
