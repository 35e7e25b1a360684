import { Journal1763900000000, Outbox1764300000000 } from '#journal';
import { ApiKeys1763800000000 } from '#platform';
import { ProjectionProgress1764000000000 } from './1764000000000-projection-progress.js';
import { Alerts1764100000000 } from './1764100000000-alerts.js';
import { ProjectionStreamsByStream1764200000000 } from './1764200000000-projection-streams-by-stream.js';
import { AlerterCameoRoots1764416000000 } from './1764416000000-alerter-cameo-roots.js';
import { ConsumerKinds1765170000000 } from './1765170000000-consumer-kinds.js';

/** Every migration of the schema, in order: access, the journal, then the read models. */
export const migrations = [ApiKeys1763800000000, Journal1763900000000, ProjectionProgress1764000000000, Alerts1764100000000,
  ProjectionStreamsByStream1764200000000, Outbox1764300000000, AlerterCameoRoots1764416000000, ConsumerKinds1765170000000];
