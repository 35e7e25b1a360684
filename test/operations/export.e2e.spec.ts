// `chancery export` run as a process: the journal as NDJSON envelopes, the same ones GET /v1/events
// serves, filtered by stream, type, valid time and position, to stdout or to a file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, type Client, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';
import { runCli } from './run-cli.js';

const adminKey = 'export-admin-key-0000000000';
const seed = readFileSync(new URL('../../demo/seed-article.ndjson', import.meta.url), 'utf8');
const envelopeFields = ['eventId', 'type', 'schemaVersion', 'streamId', 'streamVersion', 'globalPosition', 'occurredAt', 'recordedAt',
  'recordedBy', 'correlationId', 'causationId', 'sources', 'confidence', 'cameo', 'data'];

type Envelope = { eventId: string; type: string; streamId: string; streamVersion: number; globalPosition: string; occurredAt: string };

describe('chancery export', () => {
  let served: TestApp;
  let writer: Client;
  let env: Record<string, string>;
  let directory: string;
  /** Every event, as GET /v1/events pages them. */
  let all: Envelope[];

  const exportNdjson = (...args: string[]) => runCli(['export', ...args], env);

  /** Parses NDJSON strictly: one JSON object a line, every line ended, no blank line. */
  function ndjson(text: string): Envelope[] {
    expect(text.endsWith('\n') || text === '').toBe(true);
    return text.split('\n').slice(0, -1).map((line) => JSON.parse(line) as Envelope);
  }

  async function exported(...args: string[]): Promise<Envelope[]> {
    const run = await exportNdjson(...args);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return ndjson(run.stdout);
  }

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    env = { DATABASE_URL: served.database.url };
    directory = mkdtempSync(join(tmpdir(), 'chancery-export-'));
    writer = client(served.baseUrl, adminKey);
    expect((await writer.post('/v1/import', seed, { 'content-type': 'application/x-ndjson' })).body.rejected).toEqual([]);
    // Statements at times of day, to filter on more than dates.
    for (const [occurredAt, stance] of [['2022-01-12T09:00:00Z', 'opposes'], ['2022-01-12T15:30:00+03:00', 'rejects'], ['2022-01-13T00:00:00Z', 'neutral']]) {
      const response = await writer.post('/v1/statements', {
        by: 'RUS', issue: 'ukraine-nato-membership', stance, summary: `at ${occurredAt}`, occurredAt, sources: [{ citation: 'export test' }],
      });
      expect(response.status).toBe(201);
    }
    all = [];
    for (let after = '0'; ;) {
      const page = await writer.get(`/v1/events?after=${after}&limit=500`);
      all.push(...page.body.items);
      if (page.body.nextCursor === null) break;
      after = page.body.nextCursor;
    }
    expect(all.length).toBeGreaterThan(35);
  });

  afterAll(async () => {
    rmSync(directory, { recursive: true, force: true });
    await served.close();
  });

  it('writes every event as one envelope a line, in global position order, exactly as GET /v1/events serves them', async () => {
    const lines = await exported();
    expect(lines).toEqual(all);
    for (const envelope of lines) expect(Object.keys(envelope).sort()).toEqual([...envelopeFields].sort());
    const positions = lines.map((envelope) => BigInt(envelope.globalPosition));
    expect(positions.every((position, index) => index === 0 || position > positions[index - 1]!)).toBe(true);
  });

  it('keeps one stream, in version order, as GET /v1/streams/{id}/events serves it', async () => {
    const stream = await writer.get('/v1/streams/demand-rus-no-ukraine-membership/events');
    expect(stream.body.items.map((envelope: Envelope) => envelope.type)).toEqual(['DemandIssued', 'DemandRejected']);
    expect(await exported('--stream', 'demand-rus-no-ukraine-membership')).toEqual(stream.body.items);
    const twoStreams = await exported('--stream', 'demand-rus-no-ukraine-membership', '--stream', 'party-RUS');
    expect(twoStreams).toEqual(all.filter((envelope) => ['demand-rus-no-ukraine-membership', 'party-RUS'].includes(envelope.streamId)));
  });

  it('keeps the event types asked for, and refuses a type that does not exist without writing anything', async () => {
    const answers = await exported('--type', 'DemandIssued', '--type', 'DemandRejected');
    expect(answers).toEqual(all.filter((envelope) => envelope.type === 'DemandIssued' || envelope.type === 'DemandRejected'));
    expect(answers.filter((envelope) => envelope.type === 'DemandIssued')).toHaveLength(3);

    const refused = await exportNdjson('--type', 'DemandIsued');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('unknown event type DemandIsued');
  });

  it('filters on valid time (occurredAt), both ends included, a date meaning its midnight UTC', async () => {
    const statements = await exported('--stream', 'party-RUS', '--type', 'PositionStated', '--from', '2022-01-12T10:00:00Z', '--to', '2022-01-13');
    expect(statements.map((envelope) => envelope.occurredAt)).toEqual(['2022-01-12T15:30:00+03:00', '2022-01-13T00:00:00Z']);

    const onTheTwelfth = await exported('--from', '2022-01-12', '--to', '2022-01-12T23:59:59Z');
    const instant = (occurredAt: string) => new Date(occurredAt).getTime();
    expect(onTheTwelfth).toEqual(all.filter((envelope) =>
      instant(envelope.occurredAt) >= Date.parse('2022-01-12T00:00:00Z') && instant(envelope.occurredAt) <= Date.parse('2022-01-12T23:59:59Z')));
    // The article's twelve developments of that day, and two of the three statements above.
    expect(onTheTwelfth).toHaveLength(14);

    const refused = await exportNdjson('--from', 'yesterday');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--from yesterday: expected a date (2022-01-12) or a timestamp with an offset');
  });

  it('resumes after a global position', async () => {
    const tail = await exported('--after', all[29]!.globalPosition);
    expect(tail).toEqual(all.slice(30));
  });

  it('writes to a file only once it is complete, and says how many events it holds', async () => {
    const file = join(directory, 'warnings.ndjson');
    const run = await exportNdjson('--out', file, '--type', 'WarningGiven');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`exported 1 events to ${file}\n`);
    expect(ndjson(readFileSync(file, 'utf8'))).toEqual(all.filter((envelope) => envelope.type === 'WarningGiven'));
    expect(existsSync(`${file}.partial`)).toBe(false);

    const unreachable = join(directory, 'unreachable.ndjson');
    const failed = await runCli(['export', '--out', unreachable], { DATABASE_URL: `${served.database.url}_missing` });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('does not exist');
    expect(existsSync(unreachable)).toBe(false);
    expect(existsSync(`${unreachable}.partial`)).toBe(false);
  });
});
