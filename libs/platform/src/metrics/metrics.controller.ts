import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Registry } from 'prom-client';
import { RequiresRole } from '../auth/roles.decorator.js';
import { METRICS } from './metrics.js';

@ApiTags('operations')
@RequiresRole('reader')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS) private readonly registry: Registry) {}

  /** Prometheus text format; scrape with a reader key (`authorization: Bearer <key>`). */
  @Get()
  @Header('Cache-Control', 'no-store')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ operationId: 'getMetrics', summary: 'Prometheus metrics of this process' })
  @ApiOkResponse({ description: 'The Prometheus text format.' })
  async metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
