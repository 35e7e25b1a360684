import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery } from '../shared/openapi.js';
import { GetParty } from './get-party.query.js';
import { ListParties, partiesQuery } from './list-parties.query.js';

@ApiTags('parties')
@ApiBearerAuth()
@RequiresRole('reader')
@Controller('v1/parties')
export class PartiesHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** Registered parties by id, optionally of one kind, or those whose name or id holds `search`. */
  @Get()
  @ApiListQuery(partiesQuery)
  list(@QueryParams(new ZodPipe(partiesQuery, 'query')) filter: ReturnType<typeof partiesQuery.parse>) {
    return this.queries.execute(new ListParties(filter));
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.queries.execute(new GetParty(id));
  }
}
