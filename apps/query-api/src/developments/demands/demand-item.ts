// A demand as the list and the detail both show it: the row plus each addressee's latest answer.
import { type DemandResponse, type DemandStatus } from '#domain';
import type { NewestFirstRow } from '../shared/newest-first.js';

export type DemandItem = {
  id: string;
  by: string;
  addressedTo: string[];
  issue: string;
  summary: string;
  status: DemandStatus;
  issuedAt: string;
  /** Each addressee's latest answer (by `occurredAt`, ties: journal order), in the order they were given. */
  responses: Array<{ party: string; response: DemandResponse; at: string }>;
};

export type DemandRow = NewestFirstRow & {
  id: string; by: string; addressed_to: string[]; issue: string; summary: string; terms: string[];
  status: DemandItem['status']; issued_at: string; responses: DemandItem['responses'];
};

/** Selects `page`'s demands with their answers in the order given; `page` is a CTE or table of demand rows. */
export const withResponses = (page: string) => `
  SELECT ${page}.*, coalesce((
    SELECT json_agg(json_build_object('party', r.party, 'response', r.response, 'at', r.at) ORDER BY r.occurred_ts, r.stream_version)
    FROM demand_responses r WHERE r.demand_id = ${page}.id), '[]'::json) AS responses
  FROM ${page}`;

export function demandItem(row: DemandRow): DemandItem {
  return {
    id: row.id,
    by: row.by,
    addressedTo: row.addressed_to,
    issue: row.issue,
    summary: row.summary,
    status: row.status,
    issuedAt: row.issued_at,
    responses: row.responses,
  };
}
