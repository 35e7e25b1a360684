// The demo scenario end to end: the seed article imported over HTTP, then read back through the
// query API, asserting what the article supports; then `chancery demo` prints it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { client, type Client, startTestApp, type TestApp } from '#testing';
import { runDemo } from '../../apps/cli/src/demo/demo.command.js';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'seed-scenario-admin-key-0000';

describe('the seed article, end to end', () => {
  let served: TestApp;
  let reader: Client;
  let wait: Record<string, string>;

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    const admin = client(served.baseUrl, adminKey);
    const writer = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'analyst', role: 'writer' })).body.key);
    reader = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'dashboard', role: 'reader' })).body.key);
    const seed = await readFile(new URL('../../demo/seed-article.ndjson', import.meta.url), 'utf8');
    const report = await writer.post('/v1/import', seed, { 'content-type': 'application/x-ndjson' });
    expect(report.body.rejected).toEqual([]);
    wait = { 'x-consistency-token': report.body.consistencyToken };
  });

  afterAll(() => served.close());

  it('knows which demands are open and who answered them', async () => {
    const open = await reader.get('/v1/demands?status=open', wait);
    expect(open.status).toBe(200);
    const byId = Object.fromEntries(open.body.items.map((demand: { id: string }) => [demand.id, demand]));
    expect(Object.keys(byId).sort()).toEqual(['rus-no-post-soviet-bases', 'rus-no-ukraine-membership', 'rus-reduce-eastern-presence']);
    // NATO rejected the guarantee on Ukraine; the United States, also addressed, has not answered.
    expect(byId['rus-no-ukraine-membership']).toMatchObject({
      by: 'RUS', addressedTo: ['NATO', 'USA'], issue: 'ukraine-nato-membership', status: 'open',
      responses: [{ party: 'NATO', response: 'rejected', at: '2022-01-12' }],
    });
    expect(byId['rus-reduce-eastern-presence'].responses).toEqual([]);
    expect((await reader.get('/v1/demands?status=rejected', wait)).body.items).toEqual([]);
  });

  it('gives NATO\'s and Russia\'s stances', async () => {
    const nato = await reader.get('/v1/parties/NATO/positions', wait);
    const stance = (positions: Array<{ issue: string; stance: string }>, issue: string) =>
      positions.find((position) => position.issue === issue)?.stance;
    expect(stance(nato.body.positions, 'nato-open-door')).toBe('supports');
    expect(stance(nato.body.positions, 'european-sovereignty')).toBe('supports');
    expect(stance(nato.body.positions, 'european-missile-limits')).toBe('proposes');
    const russia = await reader.get('/v1/parties/RUS/positions', wait);
    expect(stance(russia.body.positions, 'nato-open-door')).toBe('opposes');
    expect(stance(russia.body.positions, 'ukraine-nato-membership')).toBe('demands');
    expect(stance(russia.body.positions, 'european-missile-limits')).toBe('rejects');
    const usa = await reader.get('/v1/parties/USA/positions', wait);
    expect(stance(usa.body.positions, 'russia-security-guarantees')).toBe('open-to-discuss');
  });

  it('has the Geneva talks and the NATO–Russia Council as held, the OSCE council as scheduled', async () => {
    const meetings = await reader.get('/v1/meetings?party=RUS', wait);
    const byId = Object.fromEntries(meetings.body.items.map((meeting: { id: string }) => [meeting.id, meeting]));
    expect(byId['us-rus-geneva-2022-01-10']).toMatchObject({ status: 'held', occurredAt: '2022-01-10', participants: ['USA', 'RUS'] });
    expect(byId['nrc-2022-01-12']).toMatchObject({ status: 'held', occurredAt: '2022-01-12', participants: ['NATO', 'RUS', 'USA'] });
    expect(byId['osce-pc-2022-01-13']).toMatchObject({ status: 'scheduled', scheduledFor: '2022-01-13' });
  });

  it('has NATO\'s military warning to Russia', async () => {
    const warnings = await reader.get('/v1/warnings?by=NATO&minSeverity=high', wait);
    expect(warnings.body.items).toEqual([expect.objectContaining({
      id: 'nato-reinforce-eastern-flank', by: 'NATO', to: ['RUS'], severity: 'high', kind: 'military', occurredAt: '2022-01-12',
    })]);
    const timeline = await reader.get('/v1/timeline?type=WarningGiven', wait);
    expect(timeline.body.items[0].cameo).toMatchObject({ code: '138', goldstein: -7 });
  });

  it('scores NATO–Russia as conflictual', async () => {
    const relation = await reader.get('/v1/relations/NATO/RUS', wait);
    expect(relation.status).toBe(200);
    expect(relation.body.tension7d).toBeGreaterThan(0);
  });

  it('`chancery demo` prints the positions and the open demands of the loaded article', async () => {
    const lines: string[] = [];
    await runDemo({ url: served.baseUrl, key: adminKey, out: (line) => lines.push(line) });
    const output = lines.join('\n');
    expect(output).toContain('already loaded');
    expect(output).toMatch(/^NATO\s+nato-open-door\s+supports/m);
    expect(output).toMatch(/^RUS\s+nato-open-door\s+opposes/m);
    expect(output).toMatch(/^rus-no-ukraine-membership\s+RUS\s+NATO, USA\s+ukraine-nato-membership\s+NATO \(rejected\)/m);
  });
});
