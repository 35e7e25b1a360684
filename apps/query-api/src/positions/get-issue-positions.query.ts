import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import pg from 'pg';
import type { Stance } from '#domain';
import { PG_POOL, ProblemError } from '#platform';
import { positionsOnIssue } from '#read-models';
import { instantsOf, type PositionsFilter } from './positions-query.js';

export type IssuePositions = {
  issue: string;
  positions: Array<{ party: string; stance: Stance; summary: string; since: string; basedOn: string }>;
};

export class GetIssuePositions extends Query<IssuePositions> {
  constructor(readonly issue: string, readonly filter: PositionsFilter) {
    super();
  }
}

@QueryHandler(GetIssuePositions)
export class GetIssuePositionsHandler implements IQueryHandler<GetIssuePositions, IssuePositions> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ issue, filter }: GetIssuePositions): Promise<IssuePositions> {
    const positions = await positionsOnIssue(this.pool, issue, instantsOf(filter).at);
    // Only an issue with no positions to show needs a second look: does it exist at all?
    if (positions.length === 0 && (await this.pool.query('SELECT 1 FROM issues WHERE id = $1', [issue])).rowCount === 0) {
      throw ProblemError.of(404, 'not-found', `There is no issue ${issue}.`);
    }
    return {
      issue,
      positions: positions.map(({ party, stance, summary, since, basedOn }) => ({ party, stance, summary, since, basedOn })),
    };
  }
}
