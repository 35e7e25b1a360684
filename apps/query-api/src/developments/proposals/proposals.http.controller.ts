import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery } from '../../shared/openapi.js';
import { ListProposals, proposalsQuery } from './list-proposals/list-proposals.query.js';

@ApiTags('proposals')
@ApiBearerAuth()
@RequiresRole('reader')
@Controller('v1/proposals')
export class ProposalsHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** Proposals, newest first, with each addressee's standing answer. */
  @Get()
  @ApiListQuery(proposalsQuery)
  list(@QueryParams(new ZodPipe(proposalsQuery, 'query')) filter: ReturnType<typeof proposalsQuery.parse>) {
    return this.queries.execute(new ListProposals(filter));
  }
}
