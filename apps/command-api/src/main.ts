import 'reflect-metadata';
import { EventLogModule } from '#event-log';
import { RelayModule } from '#journal';
import { DatabaseModule, rootModule, serveHttp } from '#platform';
import { migrations } from '#read-models';
import { CommandApiModule } from './command-api.module.js';

// The relay runs here unless it runs as a process of its own (CHANCERY_RELAY=off, `apps/relay`).
await serveHttp('command-api', (config) => rootModule(config, [
  DatabaseModule.forRoot({ migrations }), EventLogModule.forRoot('chancery-command-api'), CommandApiModule,
  ...(config.relayInProcess ? [RelayModule] : []),
]));
