// The position rule (DESIGN §5) in SQL, in one place: the projection keeps `positions` with it, the
// query API answers `asOf`/`knownAt` with it. A party's position on an issue is its latest stance-setting
// event by valid time (ties: journal order) among those valid by `asOf`, recorded by `knownAt`, and
// neither retracted nor ended (by a withdrawal valid by `asOf`) as known at `knownAt`.
import type pg from 'pg';
import type { Source, Stance } from '#domain';

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** Both ends of a bitemporal read, as ISO instants: valid time and transaction time. */
export type Instants = { asOf: string; knownAt: string };

export type Position = {
  party: string;
  issue: string;
  stance: Stance;
  summary: string;
  /** The deciding event's `occurredAt`, as recorded (a date or a timestamp). */
  since: string;
  /** The deciding event's id. */
  basedOn: string;
  sources: Source[];
};

/** What is known now of every time: the instants the `positions` table is kept at. */
export const current: Instants = { asOf: 'infinity', knownAt: 'infinity' };

/** Whether a history row counts at `$1` (asOf) and `$2` (knownAt): valid and recorded by then, not retracted as known then. */
const visible = (row: string) => `${row}.valid_from <= $1::timestamptz AND ${row}.recorded_at <= $2::timestamptz
      AND (${row}.retracted_at IS NULL OR ${row}.retracted_at > $2::timestamptz)`;

/** Not ended by a withdrawal's row visible at the same instants. */
const notEnded = (history: string, row: string) => `NOT EXISTS (SELECT 1 FROM ${history} e
        WHERE e.ends = ${row}.event_id AND e.party = ${row}.party AND e.issue = ${row}.issue AND ${visible('e')})`;

/**
 * The deciding `history` row of each (party, issue) in `scope` at `$1` (asOf) and `$2` (knownAt); `scope`
 * is a condition on `h` whose parameters start at `$3`. A row with `ends` is a withdrawal's: it ends the
 * row of the event it names from its own valid time on, unless it is retracted as known at `knownAt`.
 */
export function decidingStances(history: string, scope: string): string {
  return `SELECT DISTINCT ON (h.party, h.issue) h.*
    FROM ${history} h
    WHERE (${scope}) AND h.ends IS NULL AND ${visible('h')}
      AND ${notEnded(history, 'h')}
    ORDER BY h.party, h.issue, h.valid_from DESC, h.global_position DESC`;
}

/**
 * The same rule for a set of (party, issue) pairs, `$3` and `$4` as parallel arrays: each pair's
 * deciding row found by walking its own history newest first, so the cost follows the pairs asked
 * for, not the history's size (a batch of a rebuild asks for hundreds of pairs).
 */
export function decidingStancesOfPairs(history: string): string {
  return `SELECT h.*
    FROM unnest($3::text[], $4::text[]) AS pair(party, issue)
    CROSS JOIN LATERAL (
      SELECT * FROM ${history} h
      WHERE h.party = pair.party AND h.issue = pair.issue AND h.ends IS NULL AND ${visible('h')}
        AND ${notEnded(history, 'h')}
      ORDER BY h.valid_from DESC, h.global_position DESC
      LIMIT 1) h`;
}

type Row = { party: string; issue: string; stance: Stance; summary: string; occurred_at: string; event_id: string; sources: Source[] };

const positionOf = (row: Row): Position => ({
  party: row.party, issue: row.issue, stance: row.stance, summary: row.summary,
  since: row.occurred_at, basedOn: row.event_id, sources: row.sources,
});

async function positionsWhere(db: Queryable, column: 'party' | 'issue', id: string, at: Instants | undefined): Promise<Position[]> {
  const other = column === 'party' ? 'issue' : 'party';
  const select = 'party, issue, stance, summary, occurred_at, event_id, sources';
  const { rows } = at === undefined
    ? await db.query<Row>(`SELECT ${select} FROM positions WHERE ${column} = $1 ORDER BY ${other}`, [id])
    : await db.query<Row>(`SELECT ${select} FROM (${decidingStances('position_history', `h.${column} = $3`)}) deciding ORDER BY ${other}`,
      [at.asOf, at.knownAt, id]);
  return rows.map(positionOf);
}

/** A party's position on each issue: now from `positions`, or at `at` from `position_history`. */
export function positionsOfParty(db: Queryable, party: string, at?: Instants): Promise<Position[]> {
  return positionsWhere(db, 'party', party, at);
}

/** Each party's position on an issue: now from `positions`, or at `at` from `position_history`. */
export function positionsOnIssue(db: Queryable, issue: string, at?: Instants): Promise<Position[]> {
  return positionsWhere(db, 'issue', issue, at);
}
