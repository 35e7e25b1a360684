// Proposals with each addressee's standing answer and a status.
import type { ChanceryEventType, ProposalMade } from '#domain';
import type { Projection } from '../../../projection.js';
import { columns } from '../../../sql.js';
import { type Fact, type FactsTable, factsDdl, recordFacts, replaceRows, factsOf } from '../development-facts.js';

export type ProposalStatus = 'open' | 'declined' | 'accepted';
export type ProposalResponse = 'declined' | 'accepted';

/**
 * A proposal stays `open` while some addressee has not answered. Once all have: `accepted` if every
 * addressee accepted, otherwise `declined` — a proposal carries only if all it was put to take it,
 * so one decline among complete answers defeats it (the contract has no `answered` for proposals).
 */
export function proposalStatus(to: readonly string[], answers: ReadonlyMap<string, ProposalResponse>): ProposalStatus {
  const given = to.map((addressee) => answers.get(addressee));
  if (given.some((answer) => answer === undefined)) return 'open';
  return given.every((answer) => answer === 'accepted') ? 'accepted' : 'declined';
}

type ProposalView = { proposal: unknown[]; responses: unknown[][] };

function proposalView(id: string, facts: Fact[]): ProposalView | undefined {
  const made = facts.find((fact) => fact.type === 'ProposalMade');
  if (!made) return undefined;
  const { by, to, issue, summary } = made.data as ProposalMade['data'];
  const answers = new Map<string, Fact>();
  for (const fact of facts) {
    if ((fact.type === 'ProposalDeclined' || fact.type === 'ProposalAccepted') && fact.by && to.includes(fact.by)) answers.set(fact.by, fact);
  }
  const responseOf = (fact: Fact): ProposalResponse => (fact.type === 'ProposalAccepted' ? 'accepted' : 'declined');
  const status = proposalStatus(to, new Map([...answers].map(([party, fact]) => [party, responseOf(fact)])));
  return {
    proposal: [id, by, to, issue ?? null, summary, status, made.occurredAt, made.occurredTs, made.globalPosition, made.recordedAt],
    responses: [...answers.values()].map((fact) => [id, fact.by, responseOf(fact), fact.occurredAt, fact.occurredTs, fact.streamVersion, fact.eventId]),
  };
}

const facts = (schema: string): FactsTable => ({ table: `${schema}.proposal_history`, idColumn: 'proposal_id', streamPrefix: 'proposal-' });

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
    `CREATE TABLE IF NOT EXISTS ${schema}.proposal_responses (
      proposal_id    text        NOT NULL,
      party          text        NOT NULL,
      response       text        NOT NULL,
      at             text        NOT NULL,
      occurred_ts    timestamptz NOT NULL,
      stream_version integer     NOT NULL,
      event_id       uuid        NOT NULL,
      PRIMARY KEY (proposal_id, party)
    )`,
  ],
  async apply({ tx, schema, events }) {
    const touched = await recordFacts(tx, facts(schema), events);
    if (touched.length === 0) return;
    const all = await factsOf(tx, facts(schema), touched);
    const views = [...all].map(([id, proposalFacts]) => proposalView(id, proposalFacts.filter((fact) => !fact.retracted))).filter((view) => view !== undefined);
    await replaceRows(tx, `${schema}.proposal_responses`, 'proposal_id', touched, columns(
      'proposal_id text', 'party text', 'response text', 'at text', 'occurred_ts timestamptz', 'stream_version int', 'event_id uuid',
    ), views.flatMap((view) => view.responses));
    await replaceRows(tx, `${schema}.proposals`, 'id', touched, columns(
      'id text', 'by text', 'addressees text[]', 'issue text', 'summary text', 'status text', 'occurred_at text', 'occurred_ts timestamptz',
      'global_position bigint', 'recorded_at timestamptz',
    ), views.map((view) => view.proposal));
  },
};
