// Warnings given, one row each; a retraction deletes its warning.
import { type ChanceryEventType, severities } from '#domain';
import { byType, type Projection } from '../../../projection.js';
import { columns, insertRows, instant, prepared } from '../../../sql.js';

/** `minSeverity` compares ranks: low < medium < high < critical. */
export const severityRank = (severity: string): number => (severities as readonly string[]).indexOf(severity);

export const warningsProjection: Projection = {
  name: 'warnings',
  version: 1,
  tables: ['warnings'],
  handles: new Set<ChanceryEventType>(['WarningGiven', 'EventRetracted']),
  setup: (schema) => [
    `CREATE TABLE IF NOT EXISTS ${schema}.warnings (
      id              text        PRIMARY KEY,
      event_id        uuid        NOT NULL UNIQUE,
      by              text        NOT NULL,
      addressees      text[]      NOT NULL,
      issue           text,
      condition       text,
      consequence     text        NOT NULL,
      severity        text        NOT NULL,
      severity_rank   smallint    NOT NULL,
      kind            text,
      occurred_at     text        NOT NULL,
      occurred_ts     timestamptz NOT NULL,
      global_position bigint      NOT NULL,
      recorded_at     timestamptz NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS warnings_newest ON ${schema}.warnings (occurred_ts DESC, global_position DESC)`,
    `CREATE INDEX IF NOT EXISTS warnings_by ON ${schema}.warnings (by, occurred_ts DESC, global_position DESC)`,
    `CREATE INDEX IF NOT EXISTS warnings_severity ON ${schema}.warnings (severity_rank, occurred_ts DESC, global_position DESC)`,
    `CREATE INDEX IF NOT EXISTS warnings_addressees ON ${schema}.warnings USING gin (addressees)`,
  ],
  async apply({ tx, schema, events }) {
    // A warning and its retraction may share a batch: inserting every warning first, then deleting
    // the retracted ones, lands the same as two batches would.
    await insertRows(tx, `${schema}.warnings`, columns(
      'id text', 'event_id uuid', 'by text', 'addressees text[]', 'issue text', 'condition text', 'consequence text', 'severity text',
      'severity_rank smallint', 'kind text', 'occurred_at text', 'occurred_ts timestamptz', 'global_position bigint', 'recorded_at timestamptz',
    ), byType(events, 'WarningGiven').map(({ data, ...event }) => [
      data.warningId, event.eventId, data.by, data.to, data.issue ?? null, data.condition ?? null, data.consequence, data.severity,
      severityRank(data.severity), data.kind ?? null, event.occurredAt, instant(event.occurredAt), event.globalPosition, event.recordedAt,
    ]), 'ON CONFLICT (id) DO NOTHING');

    const retracted = byType(events, 'EventRetracted').filter((event) => event.data.retractedEventType === 'WarningGiven');
    if (retracted.length > 0) {
      await tx.query(prepared(`DELETE FROM ${schema}.warnings WHERE event_id = ANY($1::uuid[])`, [retracted.map((event) => event.data.retractedEventId)]));
    }
  },
};
