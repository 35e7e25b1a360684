// Keyset paging for the development lists: newest `occurredAt` first, ties broken by journal
// position (unique per event), so a page boundary never drops or repeats a row.
import { ProblemError } from '#platform';
import { decodeCursor } from '../../shared/list-query.js';

/** The form `toISOString` gives, the only one this API puts in cursors. */
const handedOutInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Collects a query's conditions and their numbered parameters. */
export class Conditions {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  param(value: unknown): string {
    return `$${this.params.push(value)}`;
  }

  add(condition: string): void {
    this.conditions.push(condition);
  }

  get where(): string {
    return this.conditions.length > 0 ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }

  /**
   * Rows after the cursor's position. The position goes into SQL casts, so a cursor that decodes
   * but holds something else is a 400 here rather than a database error.
   */
  after(cursor: string | undefined, occurredTs: string, globalPosition: string): void {
    const position = decodeCursor(cursor, 2);
    if (position === undefined) return;
    const [ts, global] = position;
    if (typeof ts !== 'string' || !handedOutInstant.test(ts) || Number.isNaN(Date.parse(ts)) || typeof global !== 'string' || !/^\d{1,18}$/.test(global)) {
      throw ProblemError.of(400, 'invalid-cursor', 'The cursor is not one this API handed out.', {
        errors: [{ path: 'cursor', message: 'not a cursor from a previous page' }],
      });
    }
    this.add(`(${occurredTs}, ${globalPosition}) < (${this.param(ts)}::timestamptz, ${this.param(global)}::bigint)`);
  }
}

export type NewestFirstRow = { occurred_ts: Date; global_position: string };

/** The position a next page starts after, for `pageOf`. */
export const positionOf = (row: NewestFirstRow): unknown[] => [row.occurred_ts.toISOString(), row.global_position];
