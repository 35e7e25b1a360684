import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module.js';
import { ConfigModule } from './config/config.module.js';
import type { ChanceryConfig } from './config/config.js';
import { HealthModule } from './health/health.module.js';
import { loggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';

/** What every app process has: validated config, structured logs, health endpoints, API keys, metrics. */
@Module({})
export class PlatformModule {
  static forRoot(config: ChanceryConfig): DynamicModule {
    return {
      module: PlatformModule,
      imports: [ConfigModule.forRoot(config), loggingModule(config), HealthModule, AuthModule, MetricsModule],
      exports: [ConfigModule],
    };
  }
}
