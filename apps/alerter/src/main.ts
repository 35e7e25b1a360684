import 'reflect-metadata';
import { EventLogModule } from '#event-log';
import { DatabaseModule, rootModule, serveHttp } from '#platform';
import { migrations } from '#read-models';
import { AlerterModule } from './alerter.module.js';

await serveHttp('alerter', (config) =>
  rootModule(config, [DatabaseModule.forRoot({ migrations }), EventLogModule.forRoot('chancery-alerter'), AlerterModule]));
