// Who and what developments are about: registered parties and issues, for lists and existence checks.
import { type ChanceryEventType } from '#domain';
import { byType, type Projection } from '../../projection.js';
import { columns, insertRows } from '../../sql.js';

export const partiesProjection: Projection = {
  name: 'parties',
  version: 1,
  tables: ['parties', 'issues'],
  // Registrations cannot be retracted (the retraction decider refuses), so nothing here is ever undone.
  handles: new Set<ChanceryEventType>(['PartyRegistered', 'IssueRegistered']),
  // Ids sort by byte ("C"), so list pages and their cursors are the same whatever the database's locale.
  setup: (schema) => [
    `CREATE TABLE IF NOT EXISTS ${schema}.parties (
      id            text        COLLATE "C" PRIMARY KEY,
      name          text        NOT NULL,
      kind          text        NOT NULL,
      member_of     text[]      NOT NULL,
      represents    text,
      role          text,
      registered_at timestamptz NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS parties_kind ON ${schema}.parties (kind, id)`,
    `CREATE TABLE IF NOT EXISTS ${schema}.issues (
      id            text        COLLATE "C" PRIMARY KEY,
      title         text        NOT NULL,
      description   text,
      registered_at timestamptz NOT NULL
    )`,
  ],
  async apply({ tx, schema, events }) {
    await insertRows(tx, `${schema}.parties`,
      columns('id text', 'name text', 'kind text', 'member_of text[]', 'represents text', 'role text', 'registered_at timestamptz'),
      byType(events, 'PartyRegistered').map(({ data, recordedAt }) =>
        [data.partyId, data.name, data.kind, data.memberOf, data.represents ?? null, data.role ?? null, recordedAt]),
      'ON CONFLICT (id) DO NOTHING');
    await insertRows(tx, `${schema}.issues`,
      columns('id text', 'title text', 'description text', 'registered_at timestamptz'),
      byType(events, 'IssueRegistered').map(({ data, recordedAt }) => [data.issueId, data.title, data.description ?? null, recordedAt]),
      'ON CONFLICT (id) DO NOTHING');
  },
};
