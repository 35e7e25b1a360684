import 'reflect-metadata';
import { EventLogModule } from '#event-log';
import { DatabaseModule, rootModule, serveHttp } from '#platform';
import { migrations } from '#read-models';
import { CommandApiModule } from './command-api.module.js';

await serveHttp('command-api', (config) =>
  rootModule(config, [DatabaseModule.forRoot({ migrations }), EventLogModule.forRoot('chancery-command-api'), CommandApiModule]));
