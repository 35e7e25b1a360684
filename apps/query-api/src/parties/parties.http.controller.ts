import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem, RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery, ApiReadModels } from '../shared/openapi.js';
import { GetParty } from './get-party.query.js';
import { ListParties, partiesQuery } from './list-parties.query.js';

@ApiTags('parties')
@ApiReadModels()
@RequiresRole('reader')
@Controller('v1/parties')
export class PartiesHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** Registered parties by id, optionally of one kind, or those whose name or id holds `search`. */
  @Get()
  @ApiListQuery(partiesQuery)
  @ApiOperation({ operationId: 'listParties', summary: 'List the registered parties' })
  @ApiOkResponse({ description: 'A page of parties.' })
  list(@QueryParams(new ZodPipe(partiesQuery, 'query')) filter: ReturnType<typeof partiesQuery.parse>) {
    return this.queries.execute(new ListParties(filter));
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getParty', summary: 'Get a party' })
  @ApiOkResponse({ description: 'The party.' })
  @ApiProblem(404, 'No party has this id.')
  get(@Param('id') id: string) {
    return this.queries.execute(new GetParty(id));
  }
}
