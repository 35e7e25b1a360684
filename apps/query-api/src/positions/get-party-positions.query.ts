import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import pg from 'pg';
import type { Source, Stance } from '#domain';
import { PG_POOL, ProblemError } from '#platform';
import { positionsOfParty } from '#read-models';
import { instantsOf, type PositionsFilter } from './positions-query.js';

export type PartyPositions = {
  party: string;
  asOf: string;
  knownAt: string;
  positions: Array<{ issue: string; stance: Stance; summary: string; since: string; basedOn: string; sources: Source[] }>;
};

export class GetPartyPositions extends Query<PartyPositions> {
  constructor(readonly party: string, readonly filter: PositionsFilter) {
    super();
  }
}

@QueryHandler(GetPartyPositions)
export class GetPartyPositionsHandler implements IQueryHandler<GetPartyPositions, PartyPositions> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ party, filter }: GetPartyPositions): Promise<PartyPositions> {
    const { at, effective } = instantsOf(filter);
    const positions = await positionsOfParty(this.pool, party, at);
    // Only a party with no positions to show needs a second look: does it exist at all?
    if (positions.length === 0 && (await this.pool.query('SELECT 1 FROM parties WHERE id = $1', [party])).rowCount === 0) {
      throw ProblemError.of(404, 'not-found', `There is no party ${party}.`);
    }
    return {
      party,
      asOf: effective.asOf,
      knownAt: effective.knownAt,
      positions: positions.map(({ issue, stance, summary, since, basedOn, sources }) => ({ issue, stance, summary, since, basedOn, sources })),
    };
  }
}
