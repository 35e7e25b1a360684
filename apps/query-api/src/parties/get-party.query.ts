import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import pg from 'pg';
import { PG_POOL, ProblemError } from '#platform';
import { partyItem, type PartyItem, type PartyRow } from './list-parties.query.js';

export class GetParty extends Query<PartyItem> {
  constructor(readonly id: string) {
    super();
  }
}

@QueryHandler(GetParty)
export class GetPartyHandler implements IQueryHandler<GetParty, PartyItem> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ id }: GetParty): Promise<PartyItem> {
    const { rows } = await this.pool.query<PartyRow>('SELECT * FROM parties WHERE id = $1', [id]);
    if (!rows[0]) throw ProblemError.of(404, 'not-found', `There is no party ${id}.`);
    return partyItem(rows[0]);
  }
}
