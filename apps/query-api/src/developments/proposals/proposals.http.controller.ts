import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery, ApiReadModels } from '../../shared/openapi.js';
import { ListProposals, proposalsQuery } from './list-proposals/list-proposals.query.js';

@ApiTags('proposals')
@ApiReadModels()
@RequiresRole('reader')
@Controller('v1/proposals')
export class ProposalsHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** Proposals, newest first, with each addressee's standing answer. */
  @Get()
  @ApiListQuery(proposalsQuery)
  @ApiOperation({ operationId: 'listProposals', summary: 'List proposals with their answers, newest first' })
  @ApiOkResponse({ description: 'A page of proposals.' })
  list(@QueryParams(new ZodPipe(proposalsQuery, 'query')) filter: ReturnType<typeof proposalsQuery.parse>) {
    return this.queries.execute(new ListProposals(filter));
  }
}
