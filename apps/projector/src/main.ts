import 'reflect-metadata';
import { EventLogModule } from '#event-log';
import { DatabaseModule, rootModule, serveHttp } from '#platform';
import { migrations } from '#read-models';
import { ProjectorModule } from './projector.module.js';

await serveHttp('projector', (config) =>
  rootModule(config, [DatabaseModule.forRoot({ migrations }), EventLogModule.forRoot('chancery-projector'), ProjectorModule]));
