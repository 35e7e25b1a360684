import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { createRegistry, METRICS } from './metrics.js';

/** GET /metrics; libs register their own metrics on the METRICS registry. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: METRICS, useFactory: createRegistry }],
  exports: [METRICS],
})
export class MetricsModule {}
