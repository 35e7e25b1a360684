// One LISTEN connection per process feeds every SSE subscriber: developments as the timeline
// commits them, and projection progress as each batch commits.
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { type Observable, Subject } from 'rxjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHANCERY_CONFIG, type ChanceryConfig } from '#platform';
import { developmentChannel, projectionChannel } from '#read-models';

export type LiveMessage = { type: 'development' | 'projection' | 'alert'; data: Record<string, unknown> };

const channels: Record<string, LiveMessage['type']> = {
  [developmentChannel]: 'development',
  [projectionChannel]: 'projection',
  chancery_alert: 'alert', // the alerter NOTIFYs each alert's JSON as it commits
};

@Injectable()
export class LiveFeed implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('LiveFeed');
  private readonly messages = new Subject<LiveMessage>();
  private client?: pg.Client;
  private closing = false;

  constructor(@Inject(CHANCERY_CONFIG) private readonly config: ChanceryConfig) {}

  get feed(): Observable<LiveMessage> {
    return this.messages.asObservable();
  }

  onModuleInit(): void {
    void this.listen();
  }

  /** Reconnects with a pause when Postgres drops the connection; messages in between are lost (SSE is best effort). */
  private async listen(): Promise<void> {
    while (!this.closing) {
      const client = new pg.Client({ connectionString: this.config.databaseUrl, application_name: 'chancery-live-feed' });
      try {
        const ended = new Promise<void>((resolve) => {
          client.on('error', () => resolve());
          client.on('end', () => resolve());
        });
        client.on('notification', ({ channel, payload }) => {
          const type = channels[channel];
          if (!type || !payload) return;
          try {
            this.messages.next({ type, data: JSON.parse(payload) as Record<string, unknown> });
          } catch {
            this.logger.warn({ channel }, 'ignored a notification that is not JSON');
          }
        });
        await client.connect();
        this.client = client;
        for (const channel of Object.keys(channels)) await client.query(`LISTEN ${channel}`);
        await ended;
      } catch (error) {
        if (!this.closing) this.logger.warn({ err: (error as Error).message }, 'live feed connection lost; reconnecting');
      } finally {
        await client.end().catch(() => {});
      }
      if (!this.closing) await sleep(1_000);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.messages.complete();
    await this.client?.end().catch(() => {});
  }
}
