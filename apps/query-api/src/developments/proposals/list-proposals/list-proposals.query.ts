import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import pg from 'pg';
import { z } from 'zod';
import { idSchema, type ProposalResponse, type ProposalStatus, proposalStatuses } from '#domain';
import { PG_POOL } from '#platform';
import { limitSchema, type Page, pageOf } from '../../../shared/list-query.js';
import { Conditions, type NewestFirstRow, positionOf } from '../../shared/newest-first.js';

export const proposalsQuery = z.strictObject({
  by: idSchema.optional(),
  to: idSchema.optional(),
  /** `open` while an addressee has not answered; then `accepted` if all accepted, else `declined`. */
  status: z.enum(proposalStatuses).optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

export type ProposalItem = {
  id: string;
  by: string;
  to: string[];
  issue: string | null;
  summary: string;
  status: ProposalStatus;
  occurredAt: string;
  /** Each addressee's latest answer, in the order they were given. */
  responses: Array<{ party: string; response: ProposalResponse; at: string }>;
};

export class ListProposals extends Query<Page<ProposalItem>> {
  constructor(readonly filter: z.infer<typeof proposalsQuery>) {
    super();
  }
}

type Row = NewestFirstRow & {
  id: string; by: string; addressees: string[]; issue: string | null; summary: string; status: ProposalItem['status'];
  occurred_at: string; responses: ProposalItem['responses'];
};

@QueryHandler(ListProposals)
export class ListProposalsHandler implements IQueryHandler<ListProposals, Page<ProposalItem>> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ filter }: ListProposals): Promise<Page<ProposalItem>> {
    const conditions = new Conditions();
    if (filter.by) conditions.add(`by = ${conditions.param(filter.by)}`);
    if (filter.to) conditions.add(`addressees @> ARRAY[${conditions.param(filter.to)}]::text[]`);
    if (filter.status) conditions.add(`status = ${conditions.param(filter.status)}`);
    conditions.after(filter.cursor, 'occurred_ts', 'global_position');
    // The page is cut first, so answers are gathered for its rows only.
    const { rows } = await this.pool.query<Row>(
      `WITH page AS (
         SELECT * FROM proposals ${conditions.where}
         ORDER BY occurred_ts DESC, global_position DESC LIMIT ${conditions.param(filter.limit + 1)})
       SELECT page.*, coalesce((
         SELECT json_agg(json_build_object('party', r.party, 'response', r.response, 'at', r.at) ORDER BY r.occurred_ts, r.stream_version)
         FROM proposal_responses r WHERE r.proposal_id = page.id), '[]'::json) AS responses
       FROM page ORDER BY occurred_ts DESC, global_position DESC`, conditions.params);
    return pageOf(rows, filter.limit, (row) => ({
      id: row.id,
      by: row.by,
      to: row.addressees,
      issue: row.issue,
      summary: row.summary,
      status: row.status,
      occurredAt: row.occurred_at,
      responses: row.responses,
    }), positionOf);
  }
}
