// Proposals with each addressee's latest answer and a status.
import { type ChanceryEventType, type ProposalMade, type ProposalResponse, proposalStatus } from '#domain';
import type { Projection } from '../../../projection.js';
import { columns } from '../../../sql.js';
import { type AnsweredAggregate, applyAnswered, latestAnswerFacts, responseRows, responsesDdl, responsesOf } from '../answers.js';
import { type Fact, factsDdl } from '../development-facts.js';

const answerTypes: Readonly<Partial<Record<string, ProposalResponse>>> = { ProposalDeclined: 'declined', ProposalAccepted: 'accepted' };

function proposalView(id: string, facts: Fact[]) {
  const made = facts.find((fact) => fact.type === 'ProposalMade');
  if (!made) return undefined;
  const { by, to, issue, summary } = made.data as ProposalMade['data'];
  const latest = latestAnswerFacts(facts, to, answerTypes);
  const status = proposalStatus(to, responsesOf(latest));
  return {
    row: [id, by, to, issue ?? null, summary, status, made.occurredAt, made.occurredTs, made.globalPosition, made.recordedAt],
    responses: responseRows(id, latest),
  };
}

const proposals = (schema: string): AnsweredAggregate => ({
  facts: { table: `${schema}.proposal_history`, idColumn: 'proposal_id', streamPrefix: 'proposal-' },
  responses: { table: `${schema}.proposal_responses`, idColumn: 'proposal_id' },
  table: `${schema}.proposals`,
  columns: columns('id text', 'by text', 'addressees text[]', 'issue text', 'summary text', 'status text', 'occurred_at text',
    'occurred_ts timestamptz', 'global_position bigint', 'recorded_at timestamptz'),
  view: proposalView,
});

export const proposalsProjection: Projection = {
  name: 'proposals',
  version: 1,
  tables: ['proposals', 'proposal_responses'],
  handles: new Set<ChanceryEventType>(['ProposalMade', 'ProposalDeclined', 'ProposalAccepted', 'EventRetracted']),
  setup: (schema) => [
    ...factsDdl(proposals(schema).facts),
    `CREATE TABLE IF NOT EXISTS ${schema}.proposals (
      id              text        PRIMARY KEY,
      by              text        NOT NULL,
      addressees      text[]      NOT NULL,
      issue           text,
      summary         text        NOT NULL,
      status          text        NOT NULL,
      occurred_at     text        NOT NULL,
      occurred_ts     timestamptz NOT NULL,
      global_position bigint      NOT NULL,
      recorded_at     timestamptz NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS proposals_newest ON ${schema}.proposals (occurred_ts DESC, global_position DESC)`,
    `CREATE INDEX IF NOT EXISTS proposals_status ON ${schema}.proposals (status, occurred_ts DESC, global_position DESC)`,
    `CREATE INDEX IF NOT EXISTS proposals_by ON ${schema}.proposals (by, occurred_ts DESC, global_position DESC)`,
    `CREATE INDEX IF NOT EXISTS proposals_to ON ${schema}.proposals USING gin (addressees)`,
    responsesDdl(proposals(schema).responses),
  ],
  apply: ({ tx, schema, events }) => applyAnswered(tx, proposals(schema), events),
};
