// Meetings as they stand (scheduled, held or cancelled), and who takes part, for the party filter.
import type { ChanceryEventType, MeetingHeld, MeetingScheduled } from '#domain';
import type { Projection } from '../../../projection.js';
import { columns, instant } from '../../../sql.js';
import { type Fact, type FactsTable, factsDdl, factsOf, recordFacts, replaceRows } from '../development-facts.js';

export type MeetingStatus = 'scheduled' | 'held' | 'cancelled';

type MeetingView = { meeting: unknown[]; participants: unknown[][] };

const latest = (facts: Fact[], type: string) => facts.filter((fact) => fact.type === type).at(-1);

/**
 * Mirrors the meeting decider: held if a holding stands, else cancelled if a cancellation stands,
 * else scheduled if a scheduling stands; with none standing there is no meeting to show.
 *
 * `occurred_at` is the valid time of the development that gives the meeting its status: when it
 * was held, when it was cancelled, or when the scheduling was announced (the planned date is
 * `scheduledFor`). Lists sort by it, so a meeting rises when something happens to it.
 * `meeting_ts` is the meeting's own date — held date, else the planned one — which `from`/`to` filter on.
 */
function meetingView(id: string, all: Fact[]): MeetingView | undefined {
  const standing = all.filter((fact) => !fact.retracted);
  const held = latest(standing, 'MeetingHeld');
  const cancelled = latest(standing, 'MeetingCancelled');
  const scheduled = latest(standing, 'MeetingScheduled');
  const status: MeetingStatus | undefined = held ? 'held' : cancelled ? 'cancelled' : scheduled ? 'scheduled' : undefined;
  const statusFact = held ?? cancelled ?? scheduled;
  if (!status || !statusFact) return undefined;
  // A cancellation whose scheduling was later retracted still needs a title: like the decider, keep
  // the details last recorded, retracted or not (the meeting's id stays taken).
  const described = held ?? scheduled ?? all.filter((fact) => fact.type === 'MeetingHeld' || fact.type === 'MeetingScheduled').at(-1);
  if (!described) return undefined;
  const details = described.data as MeetingScheduled['data'] | MeetingHeld['data'];
  const scheduledFor = scheduled ? (scheduled.data as MeetingScheduled['data']).scheduledFor : null;
  const outcome = held ? (held.data as MeetingHeld['data']).outcome ?? null : null;
  const { participants } = details;
  const meetingTs = held ? held.occurredTs : scheduledFor ? new Date(instant(scheduledFor)) : statusFact.occurredTs;
  return {
    meeting: [id, details.title, details.format ?? null, details.location ?? null, status, participants, details.delegates, details.issues,
      statusFact.occurredAt, statusFact.occurredTs, statusFact.globalPosition, scheduledFor, meetingTs, outcome],
    participants: participants.map((party) => [id, party, statusFact.occurredTs, statusFact.globalPosition, meetingTs]),
  };
}

const facts = (schema: string): FactsTable => ({ table: `${schema}.meeting_history`, idColumn: 'meeting_id', streamPrefix: 'meeting-' });

export const meetingsProjection: Projection = {
  name: 'meetings',
  version: 1,
  tables: ['meetings', 'meeting_participants'],
  handles: new Set<ChanceryEventType>(['MeetingScheduled', 'MeetingHeld', 'MeetingCancelled', 'EventRetracted']),
  setup: (schema) => [
    ...factsDdl(facts(schema)),
    `CREATE TABLE IF NOT EXISTS ${schema}.meetings (
      id              text        PRIMARY KEY,
      title           text        NOT NULL,
      format          text,
      location        text,
      status          text        NOT NULL,
      participants    text[]      NOT NULL,
      delegates       jsonb       NOT NULL,
      issues          text[]      NOT NULL,
      occurred_at     text        NOT NULL,
      occurred_ts     timestamptz NOT NULL,
      global_position bigint      NOT NULL,
      scheduled_for   text,
      meeting_ts      timestamptz NOT NULL,
      outcome         text
    )`,
    `CREATE INDEX IF NOT EXISTS meetings_newest ON ${schema}.meetings (occurred_ts DESC, global_position DESC)`,
    `CREATE INDEX IF NOT EXISTS meetings_date ON ${schema}.meetings (meeting_ts)`,
    // The sort key travels with each participant, so `party=` pages through one index.
    `CREATE TABLE IF NOT EXISTS ${schema}.meeting_participants (
      meeting_id      text        NOT NULL,
      party           text        NOT NULL,
      occurred_ts     timestamptz NOT NULL,
      global_position bigint      NOT NULL,
      meeting_ts      timestamptz NOT NULL,
      PRIMARY KEY (meeting_id, party)
    )`,
    `CREATE INDEX IF NOT EXISTS meeting_participants_party ON ${schema}.meeting_participants (party, occurred_ts DESC, global_position DESC)`,
  ],
  async apply({ tx, schema, events }) {
    const touched = await recordFacts(tx, facts(schema), events);
    if (touched.length === 0) return;
    const all = await factsOf(tx, facts(schema), touched);
    const views = [...all].map(([id, meetingFacts]) => meetingView(id, meetingFacts)).filter((view) => view !== undefined);
    await replaceRows(tx, `${schema}.meeting_participants`, 'meeting_id', touched, columns(
      'meeting_id text', 'party text', 'occurred_ts timestamptz', 'global_position bigint', 'meeting_ts timestamptz',
    ), views.flatMap((view) => view.participants));
    await replaceRows(tx, `${schema}.meetings`, 'id', touched, columns(
      'id text', 'title text', 'format text', 'location text', 'status text', 'participants text[]', 'delegates jsonb', 'issues text[]',
      'occurred_at text', 'occurred_ts timestamptz', 'global_position bigint', 'scheduled_for text', 'meeting_ts timestamptz', 'outcome text',
    ), views.map((view) => view.meeting));
  },
};
