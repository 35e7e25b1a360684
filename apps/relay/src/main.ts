// The outbox relay as a process of its own: it publishes the journal's new events to Kafka while the
// command-apis, started with CHANCERY_RELAY=off, only append (ADR 0015). One relay owns the outbox at a
// time; a second one waits as a standby.
import 'reflect-metadata';
import { EventLogModule } from '#event-log';
import { JournalModule, RelayModule } from '#journal';
import { DatabaseModule, rootModule, serveHttp } from '#platform';
import { migrations } from '#read-models';

await serveHttp('relay', (config) =>
  rootModule(config, [DatabaseModule.forRoot({ migrations }), EventLogModule.forRoot('chancery-relay'), JournalModule, RelayModule]));
