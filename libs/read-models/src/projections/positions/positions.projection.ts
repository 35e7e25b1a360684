// Each party's position on each issue, bitemporally: `position_history` keeps every stance a
// development set (and every withdrawal that ended one) with its valid and recorded time and when it
// was retracted; `positions` is the history read now, kept per affected (party, issue) after each batch.
import { type ChanceryEvent, type ChanceryEventType, stanceEffects, stanceEndings } from '#domain';
import { byType, type ProjectedEvent, type Projection } from '../../projection.js';
import { columns, insertRows, instant, prepared } from '../../sql.js';
import { current, decidingStancesOfPairs } from './positions-at.js';

/** What a stance rests on, in one line: the development's own summary, the answer's reason, or a generated text. */
function summaryOf(event: ChanceryEvent): string {
  switch (event.type) {
    case 'PositionStated':
    case 'DemandIssued':
    case 'ProposalMade':
      return event.data.summary;
    case 'DemandRejected':
      return event.data.reason ?? `${event.data.by} rejected ${event.data.issuer}'s demand`;
    case 'DemandAccepted':
      return event.data.reason ?? `${event.data.by} accepted ${event.data.issuer}'s demand`;
    case 'ProposalDeclined':
      return event.data.reason ?? `${event.data.by} declined ${event.data.proposer}'s proposal`;
    case 'ProposalAccepted':
      return event.data.reason ?? `${event.data.by} accepted ${event.data.proposer}'s proposal`;
    case 'DemandWithdrawn':
      return event.data.reason ?? `${event.data.by} withdrew its demand`;
    default:
      return '';
  }
}

function quoteOf(event: ProjectedEvent): string | null {
  const stated = event.type === 'PositionStated' ? event.data.quote : undefined;
  return stated ?? event.sources.find((source) => source.quote !== undefined)?.quote ?? null;
}

const pairKey = (party: string, issue: string) => JSON.stringify([party, issue]);

const stanceColumns = columns('event_id uuid', 'party text', 'issue text', 'stance text', 'event_type text', 'demand_id text',
  'summary text', 'quote text', 'sources jsonb', 'occurred_at text', 'valid_from timestamptz', 'recorded_at timestamptz',
  'global_position bigint');

export const positionsProjection: Projection = {
  name: 'positions',
  version: 1,
  tables: ['positions', 'position_history'],
  handles: new Set<ChanceryEventType>([
    'DemandIssued', 'DemandRejected', 'DemandAccepted', 'DemandWithdrawn',
    'ProposalMade', 'ProposalDeclined', 'ProposalAccepted', 'PositionStated', 'EventRetracted',
  ]),
  setup: (schema) => [
    // `ends` is null on a stance an event set; on a withdrawal's row it names the DemandIssued whose `demands` it ends.
    `CREATE TABLE IF NOT EXISTS ${schema}.position_history (
      event_id        uuid        NOT NULL,
      party           text        NOT NULL,
      issue           text        NOT NULL,
      stance          text        NOT NULL,
      event_type      text        NOT NULL,
      demand_id       text,
      ends            uuid,
      summary         text        NOT NULL,
      quote           text,
      sources         jsonb       NOT NULL,
      occurred_at     text        NOT NULL,
      valid_from      timestamptz NOT NULL,
      recorded_at     timestamptz NOT NULL,
      global_position bigint      NOT NULL,
      retracted_at    timestamptz,
      PRIMARY KEY (event_id, party, issue)
    )`,
    `CREATE INDEX IF NOT EXISTS position_history_by_party ON ${schema}.position_history
      (party, issue, valid_from DESC, global_position DESC) WHERE ends IS NULL`,
    `CREATE INDEX IF NOT EXISTS position_history_by_issue ON ${schema}.position_history
      (issue, party, valid_from DESC, global_position DESC) WHERE ends IS NULL`,
    `CREATE INDEX IF NOT EXISTS position_history_endings ON ${schema}.position_history (ends) WHERE ends IS NOT NULL`,
    `CREATE INDEX IF NOT EXISTS position_history_demand ON ${schema}.position_history (demand_id) WHERE demand_id IS NOT NULL`,
    `CREATE TABLE IF NOT EXISTS ${schema}.positions (
      party           text        NOT NULL,
      issue           text        NOT NULL,
      stance          text        NOT NULL,
      summary         text        NOT NULL,
      quote           text,
      sources         jsonb       NOT NULL,
      occurred_at     text        NOT NULL,
      valid_from      timestamptz NOT NULL,
      recorded_at     timestamptz NOT NULL,
      event_id        uuid        NOT NULL,
      global_position bigint      NOT NULL,
      PRIMARY KEY (party, issue)
    )`,
    `CREATE INDEX IF NOT EXISTS positions_by_issue ON ${schema}.positions (issue, party)`,
  ],
  async apply({ tx, schema, events }) {
    const history = `${schema}.position_history`;
    const affected = new Map<string, [string, string]>();
    const touch = (party: string, issue: string) => affected.set(pairKey(party, issue), [party, issue]);

    // Stances first, then withdrawals, then retractions: each targets an event earlier in its own
    // stream, which per-stream order has delivered in an earlier batch or earlier in this one.
    const stances = events.flatMap((event) => stanceEffects(event).map(({ party, issue, stance }) => {
      touch(party, issue);
      return [event.eventId, party, issue, stance, event.type, event.type === 'DemandIssued' ? event.data.demandId : null,
        summaryOf(event), quoteOf(event), event.sources, event.occurredAt, instant(event.occurredAt), event.recordedAt, event.globalPosition];
    }));
    await insertRows(tx, history, stanceColumns, stances, 'ON CONFLICT DO NOTHING');

    const endings = byType(events, 'DemandWithdrawn').flatMap((event) => stanceEndings(event).map(({ party, issue, stance, demandId }) => {
      touch(party, issue);
      return { event, party, issue, stance, demandId };
    }));
    if (endings.length > 0) {
      // A withdrawal's row names the DemandIssued it ends, so readers match an ending by event id alone.
      await tx.query(prepared(
        `INSERT INTO ${history} (event_id, party, issue, stance, event_type, demand_id, ends, summary, quote, sources,
           occurred_at, valid_from, recorded_at, global_position)
         SELECT w.event_id, w.party, w.issue, w.stance, 'DemandWithdrawn', w.demand_id, d.event_id, w.summary, w.quote, w.sources::jsonb,
           w.occurred_at, w.valid_from, w.recorded_at, w.global_position
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
           $9::text[], $10::timestamptz[], $11::timestamptz[], $12::bigint[])
           AS w(event_id, party, issue, stance, demand_id, summary, quote, sources, occurred_at, valid_from, recorded_at, global_position)
         JOIN ${history} d ON d.demand_id = w.demand_id AND d.party = w.party AND d.issue = w.issue AND d.event_type = 'DemandIssued'
         ON CONFLICT DO NOTHING`,
        [endings.map(({ event }) => event.eventId), endings.map(({ party }) => party), endings.map(({ issue }) => issue),
          endings.map(({ stance }) => stance), endings.map(({ demandId }) => demandId), endings.map(({ event }) => summaryOf(event)),
          endings.map(({ event }) => quoteOf(event)), endings.map(({ event }) => JSON.stringify(event.sources)),
          endings.map(({ event }) => event.occurredAt), endings.map(({ event }) => instant(event.occurredAt)),
          endings.map(({ event }) => event.recordedAt), endings.map(({ event }) => event.globalPosition)]));
    }

    const retractions = byType(events, 'EventRetracted');
    if (retractions.length > 0) {
      const { rows } = await tx.query<{ party: string; issue: string }>(prepared(
        `UPDATE ${history} h SET retracted_at = r.retracted_at
         FROM unnest($1::uuid[], $2::timestamptz[]) AS r(event_id, retracted_at)
         WHERE h.event_id = r.event_id AND h.retracted_at IS NULL
         RETURNING h.party, h.issue`,
        [retractions.map((event) => event.data.retractedEventId), retractions.map((event) => event.recordedAt)]));
      for (const row of rows) touch(row.party, row.issue);
    }

    if (affected.size === 0) return;
    const parties = [...affected.values()].map(([party]) => party);
    const issues = [...affected.values()].map(([, issue]) => issue);
    // Batches of different partitions apply concurrently and may touch the same pair; each reads the
    // other's history only once committed. Locking the pairs (in one order, so no deadlock) makes the
    // later batch recompute from everything the earlier one wrote, so the last commit is right.
    await tx.query(prepared(
      `SELECT pg_advisory_xact_lock(hashtext($1), pair.key)
       FROM (SELECT DISTINCT hashtext(a.party || '/' || a.issue) AS key FROM unnest($2::text[], $3::text[]) AS a(party, issue) ORDER BY 1) pair`,
      [schema, parties, issues]));
    await tx.query(prepared(
      `DELETE FROM ${schema}.positions p USING unnest($1::text[], $2::text[]) AS a(party, issue)
       WHERE p.party = a.party AND p.issue = a.issue`, [parties, issues]));
    await tx.query(prepared(
      `INSERT INTO ${schema}.positions
         (party, issue, stance, summary, quote, sources, occurred_at, valid_from, recorded_at, event_id, global_position)
       SELECT party, issue, stance, summary, quote, sources, occurred_at, valid_from, recorded_at, event_id, global_position
       FROM (${decidingStancesOfPairs(history)}) deciding`,
      [current.asOf, current.knownAt, parties, issues]));
  },
};
