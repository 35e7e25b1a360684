// Conflict/cooperation per unordered pair of parties and UTC day: the numbers behind the tension index.
import type pg from 'pg';
import { cameoOf, type ChanceryEventType, counterpartPairs } from '#domain';
import { byType, type ProjectedEvent, type Projection } from '../../projection.js';
import { prepared } from '../../sql.js';

/** The developments that can score a pair: every type with a CAMEO code (the rest pair nothing or score nothing). */
const scored: ChanceryEventType[] = [
  'DemandIssued', 'DemandRejected', 'DemandAccepted', 'MeetingScheduled', 'MeetingHeld', 'MeetingCancelled',
  'WarningGiven', 'ProposalMade', 'ProposalDeclined', 'ProposalAccepted', 'CodedDevelopmentRecorded',
];

/** The UTC day a development falls on: a bare date is that day, a timestamp with an offset is moved to UTC first. */
export function utcDay(occurredAt: string): string {
  return new Date(occurredAt).toISOString().slice(0, 10);
}

/** One row per (development, pair): what the development adds to that pair's day. */
function contributionsOf(event: ProjectedEvent): unknown[][] {
  const cameo = cameoOf(event);
  if (!cameo) return [];
  const day = utcDay(event.occurredAt);
  return counterpartPairs(event).map(([partyA, partyB]) => [event.eventId, partyA, partyB, day, cameo.goldstein, cameo.quadClass]);
}

export const relationsProjection: Projection = {
  name: 'relations',
  version: 1,
  tables: ['relations'],
  handles: new Set<ChanceryEventType>([...scored, 'EventRetracted']),
  setup: (schema) => [
    // Kept per development so that a retraction takes back exactly what that development added;
    // read only by event id (its primary key). Goldstein scores have one decimal: numeric keeps sums exact, so a replay gives the same digits.
    `CREATE TABLE IF NOT EXISTS ${schema}.relation_contributions (
      event_id    uuid         NOT NULL,
      party_a     text         NOT NULL,
      party_b     text         NOT NULL,
      day         date         NOT NULL,
      goldstein   numeric(4,1) NOT NULL,
      quad_class  smallint     NOT NULL,
      PRIMARY KEY (event_id, party_a, party_b),
      CHECK (party_a < party_b COLLATE "C")
    )`,
    `CREATE TABLE IF NOT EXISTS ${schema}.relations (
      party_a        text     NOT NULL,
      party_b        text     NOT NULL,
      day            date     NOT NULL,
      events         integer  NOT NULL,
      goldstein_sum  numeric  NOT NULL,
      cooperation    integer  NOT NULL,
      conflict       integer  NOT NULL,
      PRIMARY KEY (party_a, party_b, day),
      -- The pair is ordered as the domain orders it (code units, whatever the database's collation).
      CHECK (party_a < party_b COLLATE "C")
    )`,
  ],
  // Aggregates move by deltas, never by recounting: two partitions' transactions may touch the
  // same (pair, day) at once, and a recount would see only its own snapshot and overwrite the
  // other's (a lost update). Row locks make added and subtracted deltas commute; the sums are
  // numeric, so a delta taken back leaves exactly what was there.
  async apply({ tx, schema, events }) {
    // A retraction lives in the stream of the event it retracts, so it always comes after it:
    // contributions go in first, then the retractions of this batch take theirs back out.
    const contributions = events.filter((event) => event.type !== 'EventRetracted').flatMap(contributionsOf);
    if (contributions.length > 0) await add(tx, schema, contributions);
    const retracted = byType(events, 'EventRetracted').map((event) => event.data.retractedEventId);
    if (retracted.length > 0) await takeBack(tx, schema, retracted);
  },
};

const contributionColumns = 'event_id, party_a, party_b, day, goldstein, quad_class';

/**
 * Per (pair, day): count, Goldstein sum, cooperation and conflict of the contributions in `source`.
 * Sorted, so concurrent batches lock the rows they share in the same order and do not deadlock.
 */
const totals = (source: string) => `
  SELECT party_a, party_b, day, count(*)::int AS events, sum(goldstein) AS goldstein_sum,
    (count(*) FILTER (WHERE quad_class IN (1, 2)))::int AS cooperation,
    (count(*) FILTER (WHERE quad_class IN (3, 4)))::int AS conflict
  FROM ${source} GROUP BY party_a, party_b, day ORDER BY party_a, party_b, day`;

async function add(tx: pg.PoolClient, schema: string, contributions: unknown[][]): Promise<void> {
  const column = (index: number) => contributions.map((row) => row[index]);
  // Only what was newly inserted is added: a contribution already there was counted before.
  await tx.query(prepared(
    `WITH added AS (
       INSERT INTO ${schema}.relation_contributions (${contributionColumns})
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::numeric[], $6::int2[])
       ON CONFLICT DO NOTHING
       RETURNING ${contributionColumns}
     )
     INSERT INTO ${schema}.relations (party_a, party_b, day, events, goldstein_sum, cooperation, conflict)
     ${totals('added')}
     ON CONFLICT (party_a, party_b, day) DO UPDATE SET
       events = relations.events + EXCLUDED.events, goldstein_sum = relations.goldstein_sum + EXCLUDED.goldstein_sum,
       cooperation = relations.cooperation + EXCLUDED.cooperation, conflict = relations.conflict + EXCLUDED.conflict`,
    [0, 1, 2, 3, 4, 5].map(column)));
}

/** Removes the retracted developments' contributions and subtracts them; a day left without any disappears. */
async function takeBack(tx: pg.PoolClient, schema: string, retracted: string[]): Promise<void> {
  const emptied = await tx.query<{ party_a: string; party_b: string; day: string; events: number }>(prepared(
    `WITH removed AS (
       DELETE FROM ${schema}.relation_contributions WHERE event_id = ANY($1::uuid[]) RETURNING ${contributionColumns}
     )
     UPDATE ${schema}.relations r SET events = r.events - d.events, goldstein_sum = r.goldstein_sum - d.goldstein_sum,
       cooperation = r.cooperation - d.cooperation, conflict = r.conflict - d.conflict
     FROM (${totals('removed')}) d
     WHERE (r.party_a, r.party_b, r.day) = (d.party_a, d.party_b, d.day)
     RETURNING r.party_a, r.party_b, to_char(r.day, 'YYYY-MM-DD') AS day, r.events`, [retracted]));
  const empty = emptied.rows.filter((row) => row.events === 0);
  if (empty.length === 0) return;
  await tx.query(prepared(
    `DELETE FROM ${schema}.relations r USING unnest($1::text[], $2::text[], $3::date[]) AS k(party_a, party_b, day)
     WHERE (r.party_a, r.party_b, r.day) = (k.party_a, k.party_b, k.day) AND r.events = 0`,
    [empty.map((row) => row.party_a), empty.map((row) => row.party_b), empty.map((row) => row.day)]));
}
