// Webhook deliveries for /metrics, counted at scrape time from webhook_deliveries.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { Gauge, METRICS, PG_POOL, type Registry } from '#platform';

@Injectable()
export class DeliveryMetrics implements OnModuleInit {
  constructor(@Inject(METRICS) private readonly registry: Registry, @Inject(PG_POOL) private readonly pool: pg.Pool) {}

  onModuleInit(): void {
    const pool = this.pool;
    new Gauge({
      name: 'chancery_webhook_deliveries',
      help: 'Webhook deliveries by status (pending, delivered, dead)',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const { rows } = await pool.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM webhook_deliveries GROUP BY status');
        this.reset();
        for (const status of ['pending', 'delivered', 'dead']) this.set({ status }, Number(rows.find((row) => row.status === status)?.n ?? 0));
      },
    });
  }
}
