// Proposals with each addressee's latest answer and a status.
import { type ChanceryEventType, type ProposalMade, type ProposalResponse, proposalStatus } from '#domain';
import type { Projection } from '../../../projection.js';
import { columns } from '../../../sql.js';
import { latestAnswerFacts, responseColumns, responseRows, responsesDdl, responsesOf, type ResponsesTable } from '../answers.js';
import { type Fact, type FactsTable, factsDdl, recordFacts, replaceRows, factsOf } from '../development-facts.js';

type ProposalView = { proposal: unknown[]; responses: unknown[][] };

const answerTypes: Readonly<Partial<Record<string, ProposalResponse>>> = { ProposalDeclined: 'declined', ProposalAccepted: 'accepted' };

function proposalView(id: string, facts: Fact[]): ProposalView | undefined {
  const made = facts.find((fact) => fact.type === 'ProposalMade');
  if (!made) return undefined;
  const { by, to, issue, summary } = made.data as ProposalMade['data'];
  const latest = latestAnswerFacts(facts, to, answerTypes);
  const status = proposalStatus(to, responsesOf(latest));
  return {
    proposal: [id, by, to, issue ?? null, summary, status, made.occurredAt, made.occurredTs, made.globalPosition, made.recordedAt],
    responses: responseRows(id, latest),
  };
}

const facts = (schema: string): FactsTable => ({ table: `${schema}.proposal_history`, idColumn: 'proposal_id', streamPrefix: 'proposal-' });
const responses = (schema: string): ResponsesTable => ({ table: `${schema}.proposal_responses`, idColumn: 'proposal_id' });

export const proposalsProjection: Projection = {
  name: 'proposals',
  version: 1,
  tables: ['proposals', 'proposal_responses'],
  handles: new Set<ChanceryEventType>(['ProposalMade', 'ProposalDeclined', 'ProposalAccepted', 'EventRetracted']),
  setup: (schema) => [
    ...factsDdl(facts(schema)),
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
    responsesDdl(responses(schema)),
  ],
  async apply({ tx, schema, events }) {
    const touched = await recordFacts(tx, facts(schema), events);
    if (touched.length === 0) return;
    const all = await factsOf(tx, facts(schema), touched);
    const views = [...all].map(([id, proposalFacts]) => proposalView(id, proposalFacts.filter((fact) => !fact.retracted))).filter((view) => view !== undefined);
    await replaceRows(tx, responses(schema).table, 'proposal_id', touched, responseColumns(responses(schema)), views.flatMap((view) => view.responses));
    await replaceRows(tx, `${schema}.proposals`, 'id', touched, columns(
      'id text', 'by text', 'addressees text[]', 'issue text', 'summary text', 'status text', 'occurred_at text', 'occurred_ts timestamptz',
      'global_position bigint', 'recorded_at timestamptz',
    ), views.map((view) => view.proposal));
  },
};
