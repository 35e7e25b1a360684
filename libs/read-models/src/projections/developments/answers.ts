// Answers as the demands and proposals read models keep them, one rule for both: each addressee's
// latest answer by the domain's answer rule (`latestAnswers`: by `occurredAt`, ties journal order)
// is its row in `<aggregate>_responses`, and the aggregate's status is folded from those.
import type pg from 'pg';
import { type Answer, latestAnswers } from '#domain';
import type { ProjectedEvent } from '../../projection.js';
import { type Column, columns } from '../../sql.js';
import { type Fact, type FactsTable, factsOf, recordFacts, replaceRows } from './development-facts.js';

export type ResponsesTable = {
  /** Schema-qualified table name, e.g. `projection_demands_v1.demand_responses`. */
  table: string;
  /** The aggregate's id column, e.g. `demand_id`. */
  idColumn: string;
};

/** One row per addressee that has answered: its latest answer. */
export function responsesDdl({ table, idColumn }: ResponsesTable): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (
      ${idColumn}    text        NOT NULL,
      party          text        NOT NULL,
      response       text        NOT NULL,
      at             text        NOT NULL,
      occurred_ts    timestamptz NOT NULL,
      stream_version integer     NOT NULL,
      event_id       uuid        NOT NULL,
      PRIMARY KEY (${idColumn}, party)
    )`;
}

export const responseColumns = ({ idColumn }: ResponsesTable) => columns(
  `${idColumn} text`, 'party text', 'response text', 'at text', 'occurred_ts timestamptz', 'stream_version int', 'event_id uuid',
);

export type LatestAnswer<Response extends string> = { fact: Fact; response: Response };

/**
 * Each addressee's latest answer among an aggregate's standing (not retracted) facts. `responses`
 * says which event types are answers and what each answers.
 */
export function latestAnswerFacts<Response extends string>(
  facts: readonly Fact[],
  addressees: readonly string[],
  responses: Readonly<Partial<Record<string, Response>>>,
): Map<string, LatestAnswer<Response>> {
  const answers: Array<Answer<Response> & { fact: Fact }> = [];
  for (const fact of facts) {
    const response = responses[fact.type];
    if (response === undefined || !fact.by || !addressees.includes(fact.by)) continue;
    answers.push({ party: fact.by, response, eventId: fact.eventId, occurredAt: fact.occurredAt, streamVersion: fact.streamVersion, fact });
  }
  return new Map([...latestAnswers(answers)].map(([party, answer]) => [party, { fact: answer.fact, response: answer.response }]));
}

/** The response each addressee stands by, as the status rules take it. */
export function responsesOf<Response extends string>(latest: ReadonlyMap<string, LatestAnswer<Response>>): Map<string, Response> {
  return new Map([...latest].map(([party, answer]) => [party, answer.response]));
}

/** The `<aggregate>_responses` rows of one aggregate, in `responseColumns` order. */
export function responseRows<Response extends string>(id: string, latest: ReadonlyMap<string, LatestAnswer<Response>>): unknown[][] {
  return [...latest.values()].map(({ fact, response }) => [id, fact.by, response, fact.occurredAt, fact.occurredTs, fact.streamVersion, fact.eventId]);
}

/** An aggregate that addressees answer (a demand, a proposal), as its read model keeps it. */
export type AnsweredAggregate = {
  facts: FactsTable;
  responses: ResponsesTable;
  /** The aggregate's own table (one row each, keyed by `id`) and its columns. */
  table: string;
  columns: Column[];
  /** Its row and its response rows, folded from its standing facts; undefined once it is gone (its creation retracted). */
  view: (id: string, standing: Fact[]) => { row: unknown[]; responses: unknown[][] } | undefined;
};

/** Stores the batch's facts and folds again the rows of every aggregate it touched, responses first. */
export async function applyAnswered(tx: pg.PoolClient, aggregate: AnsweredAggregate, events: ProjectedEvent[]): Promise<void> {
  const touched = await recordFacts(tx, aggregate.facts, events);
  if (touched.length === 0) return;
  const all = await factsOf(tx, aggregate.facts, touched);
  const views = [...all].map(([id, facts]) => aggregate.view(id, facts.filter((fact) => !fact.retracted))).filter((view) => view !== undefined);
  await replaceRows(tx, aggregate.responses.table, aggregate.responses.idColumn, touched, responseColumns(aggregate.responses),
    views.flatMap((view) => view.responses));
  await replaceRows(tx, aggregate.table, 'id', touched, aggregate.columns, views.map((view) => view.row));
}
