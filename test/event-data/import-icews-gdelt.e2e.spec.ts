// `chancery import icews|gdelt` run as a process against the real stack: the ICEWS 2018 sample and
// a GDELT 2.0 file go in through POST /v1/import, and what the read side shows is checked against
// figures this test computes from the files itself; a second import records nothing new.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { client, type Client, eventually, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';
import { type CliRun, runCli } from '../operations/run-cli.js';

const adminKey = 'event-data-admin-key-000000';
const icewsFile = fileURLToPath(new URL('../../demo/icews/events.2018.sample.tab', import.meta.url));
const gdeltFile = fileURLToPath(new URL('../../demo/gdelt/events.sample.export.CSV', import.meta.url));

/** The file's own figures, read with nothing of the importer: split on tabs, by column name. */
const [header, ...icewsRows] = readFileSync(icewsFile, 'utf8').split('\n').filter((row) => row !== '').map((row) => row.split('\t'));
const at = (name: string) => header!.indexOf(name);
const icews = icewsRows.map((fields) => ({
  id: fields[at('Event ID')]!,
  date: fields[at('Event Date')]!,
  source: `${fields[at('Source Name')]}|${fields[at('Source Country')]}`,
  target: `${fields[at('Target Name')]}|${fields[at('Target Country')]}`,
  root: fields[at('CAMEO Code')]!.slice(0, 2),
  intensity: Number(fields[at('Intensity')]),
}));

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

const summaryOf = (run: CliRun) => {
  const match = /read (\d+) rows: (\d+) recorded, (\d+) skipped as duplicates, (\d+) refused/.exec(run.stdout);
  if (!match) throw new Error(`no summary in: ${run.stdout}\n${run.stderr}`);
  const [read, recorded, duplicates, refused] = match.slice(1).map(Number);
  return { read, recorded, duplicates, refused };
};

describe('chancery import', () => {
  let served: TestApp;
  let reader: Client;
  let writer: Client;
  let db: pg.Pool;
  let env: Record<string, string>;
  let first: CliRun;

  /** The party id an ICEWS actor gets: looked up by its name among the parties the import registered. */
  async function partyOf(actor: string): Promise<string> {
    const [name] = actor.split('|');
    const { rows } = await db.query<{ id: string }>("SELECT id FROM parties WHERE name = $1 AND id LIKE 'icews.%' ORDER BY id", [name]);
    expect(rows.length).toBeGreaterThan(0);
    return rows[0]!.id;
  }

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    const admin = client(served.baseUrl, adminKey);
    const writerKey = (await admin.post('/v1/api-keys', { name: 'importer', role: 'writer' })).body.key;
    writer = client(served.baseUrl, writerKey);
    reader = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'analyst', role: 'reader' })).body.key);
    db = new pg.Pool({ connectionString: served.database.url });
    env = { CHANCERY_URL: served.baseUrl, CHANCERY_API_KEY: writerKey };
    first = await runCli(['import', 'icews', icewsFile], env);
  }, 180_000);

  afterAll(async () => {
    await db?.end();
    await served?.close();
  });

  describe('the ICEWS 2018 sample', () => {
    it('records every row as a development, reported, and says so', async () => {
      expect(first.code).toBe(0);
      expect(summaryOf(first)).toEqual({ read: icews.length, recorded: icews.length, duplicates: 0, refused: 0 });
      const { rows } = await db.query("SELECT count(*)::int AS n FROM journal WHERE event_type = 'CodedDevelopmentRecorded' AND stream_id LIKE 'development-icews-%'");
      expect(rows[0].n).toBe(icews.length);
      // Non-interactive: plain progress lines, no bar.
      expect(first.stderr).toMatch(/^read \d+ rows \(\d+ %\), recorded \d+/m);
      expect(first.stderr).not.toContain('\r');
    });

    it('records as many developments of each CAMEO root as the file has', async () => {
      const { rows } = await db.query("SELECT cameo->>'root' AS root, count(*)::int AS n FROM journal WHERE event_type = 'CodedDevelopmentRecorded' GROUP BY 1");
      expect(new Map(rows.map((row) => [row.root, row.n]))).toEqual(countBy(icews, (event) => event.root));
    });

    it('shows the most active pair’s relation with the file’s event count and Goldstein sum', async () => {
      const pairs = countBy(icews, (event) => [event.source, event.target].sort().join('⇄'));
      const [busiest, events] = [...pairs].sort((a, b) => b[1] - a[1])[0]!;
      const [a, b] = busiest.split('⇄') as [string, string];
      const goldsteinSum = icews.filter((event) => [event.source, event.target].sort().join('⇄') === busiest).reduce((sum, event) => sum + event.intensity, 0);
      const relation = await eventually(
        async () => (await reader.get(`/v1/relations/${await partyOf(a)}/${await partyOf(b)}`)).body as { days: Array<{ events: number; goldsteinSum: number }> },
        (body) => body.days.reduce((sum, day) => sum + day.events, 0) === events, `the relation of ${busiest}`);
      expect(relation.days.reduce((sum, day) => sum + day.goldsteinSum, 0)).toBeCloseTo(goldsteinSum, 6);
    });

    it('shows a party’s timeline: each of its events in the file, newest first', async () => {
      const russia = 'Russia|Russian Federation';
      const expected = icews.filter((event) => event.source === russia || event.target === russia);
      const party = await partyOf(russia);
      const timeline = (await reader.get(`/v1/timeline?party=${party}&limit=500`)).body as { items: Array<{ streamId: string; occurredAt: string; cameo: { goldstein: number } }> };
      expect(timeline.items.map((item) => item.streamId).sort()).toEqual(expected.map((event) => `development-icews-${event.id}`).sort());
      const dates = timeline.items.map((item) => item.occurredAt);
      expect(dates).toEqual([...dates].sort().reverse());
    });

    it('finds the parties it made by name and by country', async () => {
      const byName = (await reader.get('/v1/parties?search=police')).body as { items: Array<{ id: string; name: string }> };
      expect(byName.items.map((party) => party.name)).toContain('Police (India)');
      const byCountry = (await reader.get('/v1/parties?search=bangladesh&limit=500')).body as { items: Array<{ id: string }> };
      const inFile = new Set(icews.flatMap((event) => [event.source, event.target]).filter((actor) => /bangladesh/i.test(actor)));
      expect(byCountry.items.length).toBe(inFile.size);
      // Matched as text: a % is not a wildcard.
      expect((await reader.get('/v1/parties?search=%25')).body.items).toEqual([]);
      expect((await reader.get('/v1/parties?search=')).status).toBe(400);
      const openapi = (await reader.get('/openapi.json')).body;
      expect(openapi.paths['/v1/parties'].get.parameters.map((parameter: { name: string }) => parameter.name)).toContain('search');
      expect(openapi.paths['/v1/developments'].post.requestBody.content['application/json'].schema.properties.goldstein).toMatchObject({ minimum: -10, maximum: 10 });
    });

    it('records nothing new when the same file is imported again: every row a skipped duplicate', async () => {
      const before = await db.query('SELECT count(*)::int AS n FROM journal');
      const again = await runCli(['import', 'icews', icewsFile, '--batch', '700'], env);
      expect(again.code).toBe(0);
      expect(summaryOf(again)).toEqual({ read: icews.length, recorded: 0, duplicates: icews.length, refused: 0 });
      expect((await db.query('SELECT count(*)::int AS n FROM journal')).rows[0].n).toBe(before.rows[0].n);
    }, 120_000);
  });

  describe('bad rows', () => {
    it('are reported with their line and reason, whether the file or the server refuses them, and the rows around them are recorded', async () => {
      const rows = readFileSync(icewsFile, 'utf8').split('\n');
      const withId = (row: string, id: string, date = '2018-06-01') => row.replace(/^\d+\t[^\t]+\t/, `${id}\t${date}\t`);
      const withCode = (row: string, code: string) => row.split('\t').map((field, index) => (index === at('CAMEO Code') ? code : field)).join('\t');
      const file = join(mkdtempSync(join(tmpdir(), 'chancery-icews-')), 'bad-rows.tab');
      writeFileSync(file, [
        rows[0], withId(rows[1]!, '91000001'), withId(rows[2]!, '91000002', '2099-01-01'), withCode(withId(rows[3]!, '91000003'), '999'),
        withId(rows[4]!, '91000004'), '',
      ].join('\n'));
      const run = await runCli(['import', 'icews', file], env);
      expect(run.code).toBe(0);
      expect(summaryOf(run)).toEqual({ read: 4, recorded: 2, duplicates: 0, refused: 2 });
      expect(run.stdout).toMatch(/^ {2}line 3: .*future.* \(HTTP 422\)$/m);
      expect(run.stdout).toMatch(/^ {2}line 4: CAMEO code "999" is not an event code of the codebook$/m);
      const { rows: recorded } = await db.query("SELECT stream_id FROM journal WHERE stream_id LIKE 'development-icews-9100000%' ORDER BY 1");
      expect(recorded.map((row) => row.stream_id)).toEqual(['development-icews-91000001', 'development-icews-91000004']);
    }, 60_000);
  });

  describe('npm run demo -- --icews', () => {
    it('prints the month’s most conflictual pair first: the lowest Goldstein sum in the file', async () => {
      const sums = new Map<string, number>();
      for (const event of icews) {
        const pair = [event.source, event.target].sort().join('⇄');
        sums.set(pair, (sums.get(pair) ?? 0) + event.intensity);
      }
      const [worst, sum] = [...sums].sort((a, b) => a[1] - b[1])[0]!;
      const run = await runCli(['demo', '--icews'], env);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`read ${icews.length} rows: 0 recorded, ${icews.length} skipped as duplicates, 0 refused`);
      const table = run.stdout.slice(run.stdout.indexOf('Most conflictual pairs, June 2018'));
      const firstPair = table.split('\n')[3]!;
      for (const actor of worst.split('⇄')) expect(firstPair).toContain(actor.split('|')[0]);
      expect(firstPair).toContain(sum.toFixed(1));
    }, 120_000);
  });

  describe('a coded development’s own Goldstein score', () => {
    const body = (extra: object) => ({
      by: 'icews.united-states.united-states', to: ['icews.european-union'], cameo: '164', summary: 'Recalls its envoy',
      occurredAt: '2018-06-20', sources: [{ citation: 'ICEWS event 1' }], ...extra,
    });
    const cameoOf = async (id: string) => ((await reader.get(`/v1/streams/development-${id}/events`)).body as { items: Array<{ cameo: unknown }> }).items[0]!.cameo;

    it('is kept where the body gives one on the scale, the codebook’s otherwise; off the scale a 400 naming the field, nothing recorded', async () => {
      expect((await writer.post('/v1/developments', body({ id: 'scored-by-source', goldstein: -6.5 }))).status).toBe(201);
      expect(await eventually(() => cameoOf('scored-by-source').catch(() => null), Boolean, 'the scored development'))
        .toEqual({ code: '164', root: '16', quadClass: 4, goldstein: -6.5 });
      expect((await writer.post('/v1/developments', body({ id: 'scored-by-codebook' }))).status).toBe(201);
      expect(await eventually(() => cameoOf('scored-by-codebook').catch(() => null), Boolean, 'the unscored development'))
        .toMatchObject({ code: '164', goldstein: -7 });
      for (const goldstein of [-10.5, 11, '3']) {
        const refused = await writer.post('/v1/developments', body({ id: 'off-the-scale', goldstein }));
        expect(refused.status).toBe(400);
        expect(refused.body.errors.map((error: { path: string }) => error.path)).toEqual(['goldstein']);
      }
      expect((await db.query("SELECT count(*)::int AS n FROM journal WHERE stream_id = 'development-off-the-scale'")).rows[0].n).toBe(0);
    });
  });

  describe('a GDELT 2.0 export', () => {
    const gdelt = readFileSync(gdeltFile, 'utf8').split('\n').filter((row) => row !== '').map((row) => row.split('\t'));
    const twoSided = gdelt.filter((fields) => fields[15] !== '');
    const oneSidedLines = gdelt.flatMap((fields, index) => (fields[15] === '' ? [index + 1] : []));

    it('records its two-sided events with the file’s Goldstein score, and names the line of each one-sided event it refused', async () => {
      const run = await runCli(['import', 'gdelt', gdeltFile], env);
      expect(run.code).toBe(0);
      expect(summaryOf(run)).toEqual({ read: gdelt.length, recorded: twoSided.length, duplicates: 0, refused: oneSidedLines.length });
      expect([...run.stdout.matchAll(/^ {2}line (\d+): no Actor2Code$/gm)].map((match) => Number(match[1]))).toEqual(oneSidedLines);
      const { rows } = await db.query("SELECT stream_id, cameo FROM journal WHERE stream_id LIKE 'development-gdelt-%'");
      expect(rows).toHaveLength(twoSided.length);
      const scores = new Map(twoSided.map((fields) => [`development-gdelt-${fields[0]}`, { code: fields[26], goldstein: Number(fields[30]) }]));
      for (const row of rows) expect(row.cameo).toMatchObject(scores.get(row.stream_id)!);
    }, 120_000);
  });
});
