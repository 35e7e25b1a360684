// A proposal's status, from each addressee's latest answer (../shared/answers.ts).
import { type ProposalResponse } from './proposal.events.js';

export const proposalStatuses = ['open', 'declined', 'accepted'] as const;
export type ProposalStatus = (typeof proposalStatuses)[number];

/**
 * `open` while some addressee has not answered. Once all have: `accepted` if every addressee's
 * latest answer is an acceptance, otherwise `declined` — a proposal carries only if all it was put
 * to take it, so one decline among complete answers defeats it (the contract has no `answered` for
 * proposals).
 */
export function proposalStatus(to: readonly string[], latest: ReadonlyMap<string, ProposalResponse>): ProposalStatus {
  const given = to.map((addressee) => latest.get(addressee));
  if (given.some((answer) => answer === undefined)) return 'open';
  return given.every((answer) => answer === 'accepted') ? 'accepted' : 'declined';
}
