import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import pg from 'pg';
import { z } from 'zod';
import { PG_POOL } from '#platform';
import { decodeCursor, limitSchema, type Page, pageOf } from '../shared/list-query.js';

export const issuesQuery = z.strictObject({
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

export type IssueItem = { id: string; title: string; description: string | null; registeredAt: string };

export class ListIssues extends Query<Page<IssueItem>> {
  constructor(readonly filter: z.infer<typeof issuesQuery>) {
    super();
  }
}

type Row = { id: string; title: string; description: string | null; registered_at: Date };

@QueryHandler(ListIssues)
export class ListIssuesHandler implements IQueryHandler<ListIssues, Page<IssueItem>> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ filter }: ListIssues): Promise<Page<IssueItem>> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const after = decodeCursor(filter.cursor, 1);
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM issues ${after ? `WHERE id > ${param(String(after[0]))}` : ''} ORDER BY id LIMIT ${param(filter.limit + 1)}`, params);
    return pageOf(rows, filter.limit, (row) => ({
      id: row.id,
      title: row.title,
      description: row.description,
      registeredAt: row.registered_at.toISOString(),
    }), (row) => [row.id]);
  }
}
