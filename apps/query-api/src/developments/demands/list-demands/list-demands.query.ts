import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import pg from 'pg';
import { z } from 'zod';
import { demandStatuses, idSchema } from '#domain';
import { PG_POOL } from '#platform';
import { limitSchema, type Page, pageOf } from '../../../shared/list-query.js';
import { Conditions, positionOf } from '../../shared/newest-first.js';
import { type DemandItem, type DemandRow, demandItem, withResponses } from '../demand-item.js';

/** Ids are shaped as the write side shapes them: anything else (a NUL byte included) is a 400, not a database error. */
export const demandsQuery = z.strictObject({
  status: z.enum(demandStatuses).optional(),
  by: idSchema.optional(),
  addressedTo: idSchema.optional(),
  issue: idSchema.optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

export class ListDemands extends Query<Page<DemandItem>> {
  constructor(readonly filter: z.infer<typeof demandsQuery>) {
    super();
  }
}

@QueryHandler(ListDemands)
export class ListDemandsHandler implements IQueryHandler<ListDemands, Page<DemandItem>> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ filter }: ListDemands): Promise<Page<DemandItem>> {
    const conditions = new Conditions();
    if (filter.status) conditions.add(`status = ${conditions.param(filter.status)}`);
    if (filter.by) conditions.add(`by = ${conditions.param(filter.by)}`);
    if (filter.addressedTo) conditions.add(`addressed_to @> ARRAY[${conditions.param(filter.addressedTo)}]::text[]`);
    if (filter.issue) conditions.add(`issue = ${conditions.param(filter.issue)}`);
    conditions.after(filter.cursor, 'occurred_ts', 'global_position');
    // The page is cut first, so answers are gathered for its rows only.
    const { rows } = await this.pool.query<DemandRow>(
      `WITH page AS (
         SELECT * FROM demands ${conditions.where}
         ORDER BY occurred_ts DESC, global_position DESC LIMIT ${conditions.param(filter.limit + 1)})
       ${withResponses('page')}
       ORDER BY occurred_ts DESC, global_position DESC`, conditions.params);
    return pageOf(rows, filter.limit, demandItem, positionOf);
  }
}
