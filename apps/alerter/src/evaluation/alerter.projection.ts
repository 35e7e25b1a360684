// The alerter as a projection: the ProjectionRunner gives it its own consumer group, a checkpoint
// that commits with what a batch raised, and per-stream dedupe; each alert's id, derived from its
// rule and trigger, makes a replay (a reset checkpoint, another group) raise nothing twice.
import { Logger } from '@nestjs/common';
import type pg from 'pg';
import type { ChanceryEventType } from '#domain';
import type { Projection } from '#read-models';
import { developmentTypes, loadAlertRules } from '#read-models';
import { recordDevelopments } from './development-facts.js';
import { eventAlerts } from './event-rules.js';
import { raiseAlerts } from './raise-alerts.js';
import { surgeAlerts } from './surge-rules.js';
import { tensionAlerts } from './tension-rules.js';
import { demandsPerPass, unansweredDemandAlerts } from './unanswered-demands.js';

/**
 * Held by each alerter transaction: batches of different partitions (and alerter instances) take
 * turns, so each one sees what the others committed, and a crossing that two partitions' developments
 * make together is seen by whichever commits second.
 */
const alerterLockKey = 0x43_48_41_4c; // 'CHAL'

const logger = new Logger('Alerter');

export type AlerterOptions = {
  /** The wall clock that unanswered-demand deadlines are measured against. */
  clock?: () => Date;
};

async function rulesOf(tx: pg.PoolClient) {
  return loadAlertRules(tx, (id, error) => logger.warn({ rule: id, err: error }, 'alert rule skipped: its definition does not parse'));
}

export function alerterProjection(options: AlerterOptions = {}): Projection {
  const clock = options.clock ?? (() => new Date());
  return {
    name: 'alerter',
    version: 1,
    // Its tables are ordinary migrated ones (docs/adr/0006-alerts.md): no per-version schema, no views.
    tables: [],
    setup: () => [],
    // Registrations change nothing a rule looks at.
    handles: new Set<ChanceryEventType>([...developmentTypes, 'EventRetracted']),
    async apply({ tx, events, live }) {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [alerterLockKey]);
      const changes = await recordDevelopments(tx, events);
      // A version rebuilt beside the live one keeps its facts but tells no one.
      if (!live) return;
      const rules = await rulesOf(tx);
      if (rules.length === 0) return;
      const found = [
        ...eventAlerts(rules, events),
        ...await tensionAlerts(tx, rules, changes),
        ...await surgeAlerts(tx, rules, changes),
        ...await unansweredDemandAlerts(tx, rules, clock(), changes.demandIds),
      ];
      await raiseAlerts(tx, found);
    },
  };
}

/**
 * Raises the unanswered-demand alerts whose deadline has passed by `now`, without any new event.
 * Returns how many it raised.
 */
export async function sweepUnansweredDemands(pool: pg.Pool, now: Date): Promise<number> {
  let raised = 0;
  for (;;) {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      await tx.query('SELECT pg_advisory_xact_lock($1)', [alerterLockKey]);
      const rules = (await rulesOf(tx)).filter((rule) => rule.kind === 'unanswered-demand');
      const found = await unansweredDemandAlerts(tx, rules, now, null);
      const pass = (await raiseAlerts(tx, found)).length;
      await tx.query('COMMIT');
      raised += pass;
      // A rule's pass stops at a page; what is left comes on the next pass, now that this one's alerts exclude theirs.
      if (found.length < demandsPerPass || pass === 0) return raised;
    } catch (error) {
      await tx.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      tx.release();
    }
  }
}
