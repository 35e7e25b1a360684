// What both positions reads share: the `asOf`/`knownAt` parameters and the instants they stand for.
import { z } from 'zod';
import { timeParam } from '../shared/list-query.js';
// The rule lives with the projection that keeps `positions` by it, so a query and the table never disagree.
import { type Instants } from '#read-models';

/** A date (its midnight UTC) or an ISO timestamp with an offset, for valid time and for transaction time. */
export const positionsQuery = z.strictObject({
  asOf: timeParam.optional(),
  knownAt: timeParam.optional(),
});

export type PositionsFilter = z.infer<typeof positionsQuery>;

/** The instants a read is at, defaulting to now; `undefined` when neither was asked for (read the `positions` table). */
export function instantsOf(filter: PositionsFilter, now = new Date().toISOString()): { at: Instants | undefined; effective: Instants } {
  const effective = { asOf: filter.asOf ?? now, knownAt: filter.knownAt ?? now };
  return { at: filter.asOf === undefined && filter.knownAt === undefined ? undefined : effective, effective };
}
