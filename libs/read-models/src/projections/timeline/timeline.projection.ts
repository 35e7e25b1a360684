// Every development, newest first, filterable by party, issue, type and time. A party's timeline
// reads an index of its own (timeline_by_party): at a million developments, filtering the newest
// ones by a GIN-indexed parties array scanned tens of thousands of rows for one page.
import { cameoOf, type ChanceryEventType, partiesOf, type Source } from '#domain';
import { byType, type Projection } from '../../projection.js';
import { columns, insertRows, instant, prepared } from '../../sql.js';
import { issueOf, summaryOf } from './timeline-summary.js';

/** NOTIFY channel of the live stream: one message per development as the timeline commits it. */
export const developmentChannel = 'chancery_development';

const developments: ChanceryEventType[] = [
  'DemandIssued', 'DemandRejected', 'DemandAccepted', 'DemandWithdrawn', 'MeetingScheduled', 'MeetingHeld',
  'MeetingCancelled', 'WarningGiven', 'ProposalMade', 'ProposalDeclined', 'ProposalAccepted', 'PositionStated',
  'CodedDevelopmentRecorded',
];

/** What the timeline shows of a retraction beside what it struck out: the correction's own provenance. */
export type TimelineRetraction = { eventId: string; reason: string; occurredAt: string; recordedAt: string; sources: Source[] };

export const timelineProjection: Projection = {
  name: 'timeline',
  // v3: `retraction`, the correction's reason, valid time and sources (docs/adr/0017-answers-that-change.md).
  version: 3,
  tables: ['timeline', 'timeline_by_party'],
  handles: new Set<ChanceryEventType>([...developments, 'EventRetracted']),
  setup: (schema) => [
    `CREATE TABLE IF NOT EXISTS ${schema}.timeline (
      event_id        uuid        PRIMARY KEY,
      global_position bigint      NOT NULL,
      type            text        NOT NULL,
      stream_id       text        NOT NULL,
      version         integer     NOT NULL,
      occurred_at     text        NOT NULL,
      occurred_ts     timestamptz NOT NULL,
      recorded_at     timestamptz NOT NULL,
      parties         text[]      NOT NULL,
      issue           text,
      summary         text        NOT NULL,
      cameo           jsonb,
      goldstein       double precision,
      retracted       boolean     NOT NULL DEFAULT false,
      retracted_at    timestamptz,
      retraction      jsonb
    )`,
    `CREATE INDEX IF NOT EXISTS timeline_newest ON ${schema}.timeline (occurred_ts DESC, global_position DESC)`,
    `CREATE INDEX IF NOT EXISTS timeline_parties ON ${schema}.timeline USING gin (parties)`,
    `CREATE INDEX IF NOT EXISTS timeline_issue ON ${schema}.timeline (issue, occurred_ts DESC, global_position DESC)`,
    `CREATE INDEX IF NOT EXISTS timeline_type ON ${schema}.timeline (type, occurred_ts DESC, global_position DESC)`,
    `CREATE TABLE IF NOT EXISTS ${schema}.timeline_by_party (
      party           text        NOT NULL,
      occurred_ts     timestamptz NOT NULL,
      global_position bigint      NOT NULL,
      event_id        uuid        NOT NULL
    )`,
    `CREATE UNIQUE INDEX IF NOT EXISTS timeline_by_party_newest ON ${schema}.timeline_by_party (party, occurred_ts DESC, global_position DESC)`,
  ],
  async apply({ tx, schema, events, live }) {
    const recorded = events.filter((event) => event.type !== 'EventRetracted')
      .map((event) => ({ event, parties: partiesOf(event), occurredTs: instant(event.occurredAt) }));
    const rows = recorded.map(({ event, parties, occurredTs }) => {
      const cameo = cameoOf(event);
      return [event.eventId, event.globalPosition, event.type, event.streamId, event.streamVersion, event.occurredAt,
        occurredTs, event.recordedAt, parties, issueOf(event), summaryOf(event), cameo, cameo?.goldstein ?? null];
    });
    await insertRows(tx, `${schema}.timeline`, columns('event_id uuid', 'global_position bigint', 'type text', 'stream_id text',
      'version int', 'occurred_at text', 'occurred_ts timestamptz', 'recorded_at timestamptz', 'parties text[]', 'issue text',
      'summary text', 'cameo jsonb', 'goldstein float8'), rows, 'ON CONFLICT (event_id) DO NOTHING');
    const byParty = recorded.flatMap(({ event, parties, occurredTs }) =>
      parties.map((party) => [party, occurredTs, event.globalPosition, event.eventId]));
    await insertRows(tx, `${schema}.timeline_by_party`, columns('party text', 'occurred_ts timestamptz', 'global_position bigint', 'event_id uuid'),
      byParty, 'ON CONFLICT DO NOTHING');

    // The live stream's `development` events: sent at commit, so a dashboard hearing one can read
    // it. One statement for the whole batch, in its order; the batch travels as one JSON array,
    // which Postgres splits, rather than as an array of JSON texts each escaped for an array literal.
    if (live && events.length > 0) {
      await tx.query(prepared(`SELECT pg_notify('${developmentChannel}', development::text) FROM json_array_elements($1::json) AS development`,
        [JSON.stringify(events.map((event) => ({
          eventId: event.eventId, type: event.type, streamId: event.streamId, version: event.streamVersion,
          occurredAt: event.occurredAt, recordedAt: event.recordedAt, parties: partiesOf(event), issue: issueOf(event),
          summary: summaryOf(event).slice(0, 500),
        })))]));
    }

    const retractions = byType(events, 'EventRetracted');
    if (retractions.length > 0) {
      await tx.query(prepared(
        `UPDATE ${schema}.timeline t SET retracted = true, retracted_at = r.retracted_at, retraction = r.retraction
         FROM unnest($1::uuid[], $2::timestamptz[], $3::jsonb[]) AS r(event_id, retracted_at, retraction) WHERE t.event_id = r.event_id`,
        [retractions.map((event) => event.data.retractedEventId), retractions.map((event) => event.recordedAt),
          retractions.map((event) => JSON.stringify({
            eventId: event.eventId, reason: event.data.reason, occurredAt: event.occurredAt, recordedAt: event.recordedAt, sources: event.sources,
          } satisfies TimelineRetraction))]));
    }
  },
};
