// The positions grid, parties by issues, from each party's positions read (pure, unit-tested).
export type Source = { url?: string; citation?: string; outlet?: string; via?: string; quote?: string; publishedAt?: string };

export type Position = { issue: string; stance: string; summary: string; since: string; basedOn: string; sources: Source[] };

export type PartyPositions = { party: string; asOf: string; knownAt: string; positions: Position[] };

export type GridParty = { id: string; name: string; kind: string };

export type GridRow = { party: GridParty; cells: Array<Position | null> };

/**
 * One row per party that takes positions as itself (states, organizations, groups), whether or not
 * it has one at that instant, so rows stay put as the pickers move; a person gets a row only while
 * it holds a stance of its own. Columns are the issues in the order given.
 */
export function positionsGrid(parties: GridParty[], issues: Array<{ id: string }>, read: PartyPositions[]): GridRow[] {
  const byParty = new Map(read.map((positions) => [positions.party, new Map(positions.positions.map((position) => [position.issue, position]))]));
  return parties
    .filter((party) => party.kind !== 'person' || (byParty.get(party.id)?.size ?? 0) > 0)
    .map((party) => ({ party, cells: issues.map((issue) => byParty.get(party.id)?.get(issue.id) ?? null) }));
}

/** Who said it, and who they quoted: "IRNA, quoting Reuters". */
export function attribution(source: Source): string {
  const outlet = source.outlet ?? source.citation ?? source.url ?? 'Unnamed source';
  return source.via ? `${outlet}, quoting ${source.via}` : outlet;
}

/** The day before or after a date (YYYY-MM-DD), in UTC. */
export function shiftDay(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

export const stances = ['demands', 'proposes', 'supports', 'accepts', 'open-to-discuss', 'conditional', 'neutral', 'opposes', 'rejects'] as const;

export const stanceLabel = (stance: string): string => stance.replaceAll('-', ' ');
