import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery } from '../shared/openapi.js';
import { GetAlert, ListAlertDeliveries } from './get-alert.query.js';
import { alertsQuery, ListAlerts } from './list-alerts.query.js';

@ApiTags('alerts')
@ApiBearerAuth()
@RequiresRole('reader')
@Controller('v1/alerts')
export class AlertsHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** Alerts the rules raised, newest first, each with its webhook delivery's state (`delivery`, null without a webhook). */
  @Get()
  @ApiListQuery(alertsQuery)
  list(@QueryParams(new ZodPipe(alertsQuery, 'query')) filter: ReturnType<typeof alertsQuery.parse>) {
    return this.queries.execute(new ListAlerts(filter));
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.queries.execute(new GetAlert(id));
  }

  /** The alert's webhook delivery with every attempt: when, the answer, the error; `dead` once it gave up. */
  @Get(':id/deliveries')
  deliveries(@Param('id') id: string) {
    return this.queries.execute(new ListAlertDeliveries(id));
  }
}
