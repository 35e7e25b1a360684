import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import pg from 'pg';
import { z } from 'zod';
import { partyKinds } from '#domain';
import { PG_POOL } from '#platform';
import { decodeCursor, limitSchema, type Page, pageOf } from '../shared/list-query.js';

export const partiesQuery = z.strictObject({
  kind: z.enum(partyKinds).optional(),
  /** Part of a party's name or id, any case: an imported party's id holds its country (`icews.police-india.india`, `gdelt.RUSGOV`). */
  search: z.string().trim().min(1).max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

export type PartyItem = {
  id: string;
  name: string;
  kind: string;
  memberOf: string[];
  represents: string | null;
  role: string | null;
  registeredAt: string;
};

export type PartyRow = {
  id: string; name: string; kind: string; member_of: string[]; represents: string | null; role: string | null; registered_at: Date;
};

export const partyItem = (row: PartyRow): PartyItem => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  memberOf: row.member_of,
  represents: row.represents,
  role: row.role,
  registeredAt: row.registered_at.toISOString(),
});

export class ListParties extends Query<Page<PartyItem>> {
  constructor(readonly filter: z.infer<typeof partiesQuery>) {
    super();
  }
}

@QueryHandler(ListParties)
export class ListPartiesHandler implements IQueryHandler<ListParties, Page<PartyItem>> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ filter }: ListParties): Promise<Page<PartyItem>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filter.kind) where.push(`kind = ${param(filter.kind)}`);
    if (filter.search) {
      // Matched as text, never as a pattern: % and _ in the search are themselves.
      const pattern = param(`%${filter.search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`);
      where.push(`(name ILIKE ${pattern} OR id ILIKE ${pattern} OR replace(id, '-', ' ') ILIKE ${pattern})`);
    }
    const after = decodeCursor(filter.cursor, 1);
    if (after) where.push(`id > ${param(String(after[0]))}`);
    const { rows } = await this.pool.query<PartyRow>(
      `SELECT * FROM parties ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ${param(filter.limit + 1)}`, params);
    return pageOf(rows, filter.limit, partyItem, (row) => [row.id]);
  }
}
