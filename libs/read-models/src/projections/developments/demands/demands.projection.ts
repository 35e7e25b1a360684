// Demands with each addressee's standing answer and a status, plus every demand's history.
import type { ChanceryEventType, DemandIssued } from '#domain';
import type { Projection } from '../../../projection.js';
import { columns } from '../../../sql.js';
import { type Fact, type FactsTable, factsDdl, recordFacts, replaceRows, factsOf } from '../development-facts.js';

export type DemandStatus = 'open' | 'answered' | 'rejected' | 'accepted' | 'withdrawn';
export type DemandResponse = 'rejected' | 'accepted';

/**
 * DESIGN §7: `withdrawn` if withdrawn; else `accepted` if every addressee accepted, `rejected` if
 * every addressee rejected, `answered` if every addressee answered with mixed answers, else `open`.
 */
export function demandStatus(addressedTo: readonly string[], answers: ReadonlyMap<string, DemandResponse>, withdrawn: boolean): DemandStatus {
  if (withdrawn) return 'withdrawn';
  const given = addressedTo.map((addressee) => answers.get(addressee));
  if (given.some((answer) => answer === undefined)) return 'open';
  if (given.every((answer) => answer === 'accepted')) return 'accepted';
  if (given.every((answer) => answer === 'rejected')) return 'rejected';
  return 'answered';
}

type DemandView = {
  demand: unknown[];
  responses: unknown[][];
};

/** The demand as its standing facts say, or nothing once its issuance is retracted. */
function demandView(id: string, facts: Fact[]): DemandView | undefined {
  const issued = facts.find((fact) => fact.type === 'DemandIssued');
  if (!issued) return undefined;
  const { by, addressedTo, issue, summary, terms } = issued.data as DemandIssued['data'];
  // The decider lets an addressee answer once; a retracted answer is gone, so at most one stands per party.
  const answers = new Map<string, Fact>();
  for (const fact of facts) {
    if ((fact.type === 'DemandRejected' || fact.type === 'DemandAccepted') && fact.by && addressedTo.includes(fact.by)) answers.set(fact.by, fact);
  }
  const responseOf = (fact: Fact): DemandResponse => (fact.type === 'DemandAccepted' ? 'accepted' : 'rejected');
  const withdrawn = facts.some((fact) => fact.type === 'DemandWithdrawn');
  const status = demandStatus(addressedTo, new Map([...answers].map(([party, fact]) => [party, responseOf(fact)])), withdrawn);
  return {
    demand: [id, by, addressedTo, issue, summary, terms, status, issued.occurredAt, issued.occurredTs, issued.globalPosition, issued.recordedAt],
    responses: [...answers.values()].map((fact) => [id, fact.by, responseOf(fact), fact.occurredAt, fact.occurredTs, fact.streamVersion, fact.eventId]),
  };
}

const facts = (schema: string): FactsTable => ({ table: `${schema}.demand_history`, idColumn: 'demand_id', streamPrefix: 'demand-' });

export const demandsProjection: Projection = {
  name: 'demands',
  version: 1,
  tables: ['demands', 'demand_responses', 'demand_history'],
  handles: new Set<ChanceryEventType>(['DemandIssued', 'DemandRejected', 'DemandAccepted', 'DemandWithdrawn', 'EventRetracted']),
  setup: (schema) => [
    ...factsDdl(facts(schema)),
    `CREATE TABLE IF NOT EXISTS ${schema}.demands (
      id              text        PRIMARY KEY,
      by              text        NOT NULL,
      addressed_to    text[]      NOT NULL,
      issue           text        NOT NULL,
      summary         text        NOT NULL,
      terms           text[]      NOT NULL,
      status          text        NOT NULL,
      issued_at       text        NOT NULL,
      occurred_ts     timestamptz NOT NULL,
      global_position bigint      NOT NULL,
      recorded_at     timestamptz NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS demands_newest ON ${schema}.demands (occurred_ts DESC, global_position DESC)`,
    `CREATE INDEX IF NOT EXISTS demands_status ON ${schema}.demands (status, occurred_ts DESC, global_position DESC)`,
    `CREATE INDEX IF NOT EXISTS demands_by ON ${schema}.demands (by, occurred_ts DESC, global_position DESC)`,
    `CREATE INDEX IF NOT EXISTS demands_issue ON ${schema}.demands (issue, occurred_ts DESC, global_position DESC)`,
    `CREATE INDEX IF NOT EXISTS demands_addressed_to ON ${schema}.demands USING gin (addressed_to)`,
    `CREATE TABLE IF NOT EXISTS ${schema}.demand_responses (
      demand_id      text        NOT NULL,
      party          text        NOT NULL,
      response       text        NOT NULL,
      at             text        NOT NULL,
      occurred_ts    timestamptz NOT NULL,
      stream_version integer     NOT NULL,
      event_id       uuid        NOT NULL,
      PRIMARY KEY (demand_id, party)
    )`,
  ],
  async apply({ tx, schema, events }) {
    const touched = await recordFacts(tx, facts(schema), events);
    if (touched.length === 0) return;
    const all = await factsOf(tx, facts(schema), touched);
    const views = [...all].map(([id, demandFacts]) => demandView(id, demandFacts.filter((fact) => !fact.retracted))).filter((view) => view !== undefined);
    await replaceRows(tx, `${schema}.demand_responses`, 'demand_id', touched, columns(
      'demand_id text', 'party text', 'response text', 'at text', 'occurred_ts timestamptz', 'stream_version int', 'event_id uuid',
    ), views.flatMap((view) => view.responses));
    await replaceRows(tx, `${schema}.demands`, 'id', touched, columns(
      'id text', 'by text', 'addressed_to text[]', 'issue text', 'summary text', 'terms text[]', 'status text', 'issued_at text',
      'occurred_ts timestamptz', 'global_position bigint', 'recorded_at timestamptz',
    ), views.map((view) => view.demand));
  },
};
