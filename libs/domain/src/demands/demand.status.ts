// A demand's status (DESIGN §7), from each addressee's latest answer (../shared/answers.ts).
import { type DemandResponse } from './demand.events.js';

export const demandStatuses = ['open', 'answered', 'rejected', 'accepted', 'withdrawn'] as const;
export type DemandStatus = (typeof demandStatuses)[number];

/**
 * `withdrawn` if withdrawn; else `accepted` if every addressee's latest answer is an acceptance,
 * `rejected` if every one is a rejection, `answered` if every addressee answered with mixed answers,
 * else `open`.
 */
export function demandStatus(addressedTo: readonly string[], latest: ReadonlyMap<string, DemandResponse>, withdrawn: boolean): DemandStatus {
  if (withdrawn) return 'withdrawn';
  const given = addressedTo.map((addressee) => latest.get(addressee));
  if (given.some((answer) => answer === undefined)) return 'open';
  if (given.every((answer) => answer === 'accepted')) return 'accepted';
  if (given.every((answer) => answer === 'rejected')) return 'rejected';
  return 'answered';
}
