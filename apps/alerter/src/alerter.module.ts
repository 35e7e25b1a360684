import { Module } from '@nestjs/common';
import { DeliveryMetrics } from './metrics/delivery-metrics.js';
import { ALERTER_SETTINGS, alerterSettingsFrom } from './alerter-settings.js';
import { AlerterService } from './alerter.service.js';

/** The alerter features; the infrastructure (config, Postgres, Kafka) comes from main.ts. */
@Module({
  providers: [{ provide: ALERTER_SETTINGS, useFactory: () => alerterSettingsFrom(process.env) }, AlerterService, DeliveryMetrics],
  exports: [AlerterService],
})
export class AlerterModule {}
