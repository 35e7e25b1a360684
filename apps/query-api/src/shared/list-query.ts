// The shape every list endpoint shares: `limit` 1–500 (default 50) and an opaque `cursor`.
import { z } from 'zod';
import { ProblemError } from '#platform';

export const limitSchema = z.coerce.number().int().min(1).max(500).default(50);

export const timeParam = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((value) => new Date(value).toISOString());

export type Page<Item> = { items: Item[]; nextCursor: string | null };

export function encodeCursor(position: unknown[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, length: number): unknown[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(position) && position.length === length) return position;
  } catch {
    // falls through to the problem below
  }
  throw ProblemError.of(400, 'invalid-cursor', 'The cursor is not one this API handed out.', {
    errors: [{ path: 'cursor', message: 'not a cursor from a previous page' }],
  });
}

/** Turns `limit + 1` fetched rows into a page: the extra row only says there is a next page. */
export function pageOf<Row, Item>(rows: Row[], limit: number, toItem: (row: Row) => Item, cursorOf: (row: Row) => unknown[]): Page<Item> {
  const items = rows.slice(0, limit);
  return { items: items.map(toItem), nextCursor: rows.length > limit ? encodeCursor(cursorOf(items.at(-1)!)) : null };
}
