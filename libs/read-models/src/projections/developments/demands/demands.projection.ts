// Demands with each addressee's latest answer and a status, plus every demand's history.
import { type ChanceryEventType, type DemandIssued, type DemandResponse, demandStatus } from '#domain';
import type { Projection } from '../../../projection.js';
import { columns } from '../../../sql.js';
import { type AnsweredAggregate, applyAnswered, latestAnswerFacts, responseRows, responsesDdl, responsesOf } from '../answers.js';
import { type Fact, factsDdl } from '../development-facts.js';

const answerTypes: Readonly<Partial<Record<string, DemandResponse>>> = { DemandRejected: 'rejected', DemandAccepted: 'accepted' };

/** The demand as its standing facts say, or nothing once its issuance is retracted. */
function demandView(id: string, facts: Fact[]) {
  const issued = facts.find((fact) => fact.type === 'DemandIssued');
  if (!issued) return undefined;
  const { by, addressedTo, issue, summary, terms } = issued.data as DemandIssued['data'];
  const latest = latestAnswerFacts(facts, addressedTo, answerTypes);
  const withdrawn = facts.some((fact) => fact.type === 'DemandWithdrawn');
  const status = demandStatus(addressedTo, responsesOf(latest), withdrawn);
  return {
    row: [id, by, addressedTo, issue, summary, terms, status, issued.occurredAt, issued.occurredTs, issued.globalPosition, issued.recordedAt],
    responses: responseRows(id, latest),
  };
}

const demands = (schema: string): AnsweredAggregate => ({
  facts: { table: `${schema}.demand_history`, idColumn: 'demand_id', streamPrefix: 'demand-' },
  responses: { table: `${schema}.demand_responses`, idColumn: 'demand_id' },
  table: `${schema}.demands`,
  columns: columns('id text', 'by text', 'addressed_to text[]', 'issue text', 'summary text', 'terms text[]', 'status text', 'issued_at text',
    'occurred_ts timestamptz', 'global_position bigint', 'recorded_at timestamptz'),
  view: demandView,
});

export const demandsProjection: Projection = {
  name: 'demands',
  version: 1,
  tables: ['demands', 'demand_responses', 'demand_history'],
  handles: new Set<ChanceryEventType>(['DemandIssued', 'DemandRejected', 'DemandAccepted', 'DemandWithdrawn', 'EventRetracted']),
  setup: (schema) => [
    ...factsDdl(demands(schema).facts),
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
    responsesDdl(demands(schema).responses),
  ],
  apply: ({ tx, schema, events }) => applyAnswered(tx, demands(schema), events),
};
