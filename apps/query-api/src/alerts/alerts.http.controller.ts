import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem, RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery } from '../shared/openapi.js';
import { GetAlert, ListAlertDeliveries } from './get-alert.query.js';
import { alertsQuery, ListAlerts } from './list-alerts.query.js';

@ApiTags('alerts')
@RequiresRole('reader')
@Controller('v1/alerts')
export class AlertsHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** Alerts the rules raised, newest first, each with its webhook delivery's state (`delivery`, null without a webhook). */
  @Get()
  @ApiListQuery(alertsQuery)
  @ApiOperation({ operationId: 'listAlerts', summary: 'List the alerts the rules raised, newest first' })
  @ApiOkResponse({ description: 'A page of alerts.' })
  list(@QueryParams(new ZodPipe(alertsQuery, 'query')) filter: ReturnType<typeof alertsQuery.parse>) {
    return this.queries.execute(new ListAlerts(filter));
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getAlert', summary: 'Get an alert' })
  @ApiOkResponse({ description: 'The alert.' })
  @ApiProblem(404, 'No alert has this id.')
  get(@Param('id') id: string) {
    return this.queries.execute(new GetAlert(id));
  }

  /** The alert's webhook delivery with every attempt: when, the answer, the error; `dead` once it gave up. */
  @Get(':id/deliveries')
  @ApiOperation({ operationId: 'listAlertDeliveries', summary: "Get an alert's webhook delivery and its attempts" })
  @ApiOkResponse({ description: 'The delivery and its attempts.' })
  @ApiProblem(404, 'No alert has this id.')
  deliveries(@Param('id') id: string) {
    return this.queries.execute(new ListAlertDeliveries(id));
  }
}
