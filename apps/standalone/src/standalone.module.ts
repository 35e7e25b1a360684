// Every app module in one process: what `npm start` serves. In production each app runs alone;
// this is the one place allowed to import other apps.
import { EventLogModule } from '#event-log';
import { RelayModule } from '#journal';
import { type ChanceryConfig, DatabaseModule, rootModule } from '#platform';
import { migrations } from '#read-models';
import { AlerterModule } from '../../alerter/src/alerter.module.js';
import { CommandApiModule } from '../../command-api/src/command-api.module.js';
import { ProjectorModule } from '../../projector/src/projector.module.js';
import { QueryApiModule } from '../../query-api/src/query-api.module.js';

export function standaloneModule(config: ChanceryConfig) {
  return rootModule(config, [
    DatabaseModule.forRoot({ migrations }),
    EventLogModule.forRoot('chancery'),
    CommandApiModule,
    ...(config.relayInProcess ? [RelayModule] : []),
    QueryApiModule,
    ProjectorModule,
    AlerterModule,
  ]);
}
