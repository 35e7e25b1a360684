import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery, ApiReadModels } from '../../shared/openapi.js';
import { ListWarnings, type WarningsFilter, warningsQuery, warningsQueryShape } from './list-warnings/list-warnings.query.js';

@ApiTags('warnings')
@ApiReadModels()
@RequiresRole('reader')
@Controller('v1/warnings')
export class WarningsHttpController {
  constructor(private readonly queries: QueryBus) {}

  /**
   * Warnings, newest first. `to` is both the warned party and the end of the time range, as the
   * contract has it: a date or ISO timestamp is the range's end, anything else the party; send
   * `to` twice for both (`?to=RUS&to=2022-02-01`).
   */
  @Get()
  @ApiListQuery(warningsQueryShape)
  @ApiOperation({ operationId: 'listWarnings', summary: 'List warnings, newest first' })
  @ApiOkResponse({ description: 'A page of warnings.' })
  list(@QueryParams(new ZodPipe(warningsQuery, 'query')) filter: WarningsFilter) {
    return this.queries.execute(new ListWarnings(filter));
  }
}
