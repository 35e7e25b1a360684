// Alerts (reader) and alert rules (admin) over HTTP.
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AlertRulesHttpController, WEBHOOK_POLICY } from './alert-rules.http.controller.js';
import { AlertsHttpController } from './alerts.http.controller.js';
import { webhookPolicyFrom } from '#read-models';
import { GetAlertHandler, ListAlertDeliveriesHandler } from './get-alert.query.js';
import { ListAlertsHandler } from './list-alerts.query.js';

@Module({
  imports: [CqrsModule],
  controllers: [AlertsHttpController, AlertRulesHttpController],
  providers: [
    // CHANCERY_WEBHOOK_ALLOW_LOOPBACK decides here which webhook URLs a rule may name, and in the alerter where it may send.
    { provide: WEBHOOK_POLICY, useFactory: () => webhookPolicyFrom(process.env) },
    ListAlertsHandler,
    GetAlertHandler,
    ListAlertDeliveriesHandler,
  ],
})
export class AlertsQueryModule {}
