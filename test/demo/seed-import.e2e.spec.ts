// The demo data set: the January 2022 NATO–Russia report, coded as NDJSON, imports whole and says what the article says.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { client, type Client, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'seed-import-admin-key-00000';
const seed = readFileSync(new URL('../../demo/seed-article.ndjson', import.meta.url), 'utf8');
const seedLines = seed.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as { command: string });
const developmentLines = seedLines.filter((line) => !line.command.startsWith('Register'));

describe('seed article import', () => {
  let served: TestApp;
  let writer: Client;
  let db: pg.Pool;

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    const admin = client(served.baseUrl, adminKey);
    writer = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'analyst', role: 'writer' })).body.key);
    db = new pg.Pool({ connectionString: served.database.url });
    const response = await writer.post('/v1/import', seed, { 'content-type': 'application/x-ndjson' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ accepted: seedLines.length, rejected: [], consistencyToken: expect.any(String) });
  });

  afterAll(async () => {
    await db.end();
    await served.close();
  });

  async function journal(streamId: string) {
    const { rows } = await db.query('SELECT event_type, occurred_at, confidence, sources, data, cameo FROM journal WHERE stream_id = $1 ORDER BY stream_version', [streamId]);
    return rows;
  }

  it('imports every line, each development citing IRNA quoting Reuters (or AP) with the sentence it rests on, as reported', async () => {
    const { rows } = await db.query("SELECT event_type, confidence, sources FROM journal WHERE jsonb_array_length(sources) > 0");
    expect(rows).toHaveLength(developmentLines.length);
    for (const development of rows) {
      expect(development.confidence).toBe('reported');
      expect(development.sources).toEqual([expect.objectContaining({
        outlet: 'IRNA', via: expect.stringMatching(/^(Reuters|Associated Press)$/), publishedAt: '2022-01-12', quote: expect.any(String),
      })]);
    }
  });

  it('NATO rejects Russia’s demand for a guarantee on Ukraine in the demand’s stream; the United States, which only "has not agreed", answers none', async () => {
    const events = await journal('demand-rus-no-ukraine-membership');
    expect(events.map((event) => event.event_type)).toEqual(['DemandIssued', 'DemandRejected']);
    expect(events[0].data).toMatchObject({ by: 'RUS', addressedTo: ['NATO', 'USA'], issue: 'ukraine-nato-membership' });
    expect(events[1].data).toMatchObject({ by: 'NATO', issuer: 'RUS' });
    expect(events[1].occurred_at).toBe('2022-01-12');
    expect(events[1].cameo.code).toBe('120');

    const { rows } = await db.query("SELECT count(*)::int AS n FROM journal WHERE event_type IN ('DemandRejected', 'DemandAccepted') AND data->>'by' = 'USA'");
    expect(rows[0].n).toBe(0);
  });

  it('Stoltenberg’s warning is NATO’s, to Russia, military: CAMEO 138', async () => {
    const [warning] = await journal('warning-nato-reinforce-eastern-flank');
    expect(warning.event_type).toBe('WarningGiven');
    expect(warning.data).toMatchObject({ by: 'NATO', to: ['RUS'], issue: 'nato-eastern-posture', kind: 'military' });
    expect(warning.cameo).toEqual({ code: '138', root: '13', quadClass: 3, goldstein: -7 });
  });

  it('NATO’s offer of a series of meetings is declined by Russia: CAMEO 125', async () => {
    const events = await journal('proposal-nato-meetings-offer');
    expect(events.map((event) => event.event_type)).toEqual(['ProposalMade', 'ProposalDeclined']);
    expect(events[0].data).toMatchObject({ by: 'NATO', to: ['RUS'], issue: 'european-missile-limits' });
    expect(events[1].data).toMatchObject({ by: 'RUS', proposer: 'NATO' });
    expect(events[1].cameo.code).toBe('125');
  });

  it('dates the meetings as the article does: Geneva talks held 10 January, the NRC held 12 January, the OSCE council still ahead on 13 January', async () => {
    const [geneva] = await journal('meeting-us-rus-geneva-2022-01-10');
    expect(geneva).toMatchObject({ event_type: 'MeetingHeld', occurred_at: '2022-01-10', data: expect.objectContaining({ participants: ['USA', 'RUS'] }) });
    expect(geneva.cameo.code).toBe('046');

    const [council] = await journal('meeting-nrc-2022-01-12');
    expect(council).toMatchObject({ event_type: 'MeetingHeld', occurred_at: '2022-01-12' });
    expect(council.data).toMatchObject({ location: 'NATO Headquarters, Brussels', participants: ['NATO', 'RUS', 'USA'] });
    expect(council.data.delegates.map((delegate: { name: string }) => delegate.name)).toEqual(
      expect.arrayContaining(['Alexander Grushko', 'Alexander Fomin', 'Wendy Sherman']));
    expect(council.cameo.code).toBe('040');

    const osce = await journal('meeting-osce-pc-2022-01-13');
    expect(osce.map((event) => event.event_type)).toEqual(['MeetingScheduled']);
    expect(osce[0].data.scheduledFor).toBe('2022-01-13');
  });

  it('records the stances the article gives: NATO for the open door, Russia against it, the United States open to discuss', async () => {
    const { rows } = await db.query(
      "SELECT data->>'by' AS party, data->>'issue' AS issue, data->>'stance' AS stance FROM journal WHERE event_type = 'PositionStated'");
    expect(rows).toEqual(expect.arrayContaining([
      { party: 'NATO', issue: 'nato-open-door', stance: 'supports' },
      { party: 'RUS', issue: 'nato-open-door', stance: 'opposes' },
      { party: 'USA', issue: 'russia-security-guarantees', stance: 'open-to-discuss' },
    ]));
  });
});
