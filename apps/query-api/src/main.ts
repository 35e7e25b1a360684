import 'reflect-metadata';
import { EventLogModule } from '#event-log';
import { DatabaseModule, rootModule, serveHttp } from '#platform';
import { migrations } from '#read-models';
import { QueryApiModule } from './query-api.module.js';

await serveHttp('query-api', (config) =>
  rootModule(config, [DatabaseModule.forRoot({ migrations }), EventLogModule.forRoot('chancery-query-api'), QueryApiModule]));
