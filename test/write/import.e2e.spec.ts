// POST /v1/import: 10,000 NDJSON lines, some bad; the good ones land, each bad one is reported.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { client, type Client, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'import-admin-key-0000000000';
const provenance = { occurredAt: '2022-01-12', sources: [{ citation: 'IRNA quoting Reuters' }] };

function ndjson(lines: unknown[]): string {
  return lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n');
}

describe('NDJSON import', () => {
  let served: TestApp;
  let writer: Client;
  let db: pg.Pool;

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    const admin = client(served.baseUrl, adminKey);
    writer = client(served.baseUrl, (await admin.post('/v1/api-keys', { name: 'importer', role: 'writer' })).body.key);
    db = new pg.Pool({ connectionString: served.database.url });
  });

  afterAll(async () => {
    await db.end();
    await served.close();
  });

  it('imports 10,000 lines: good lines land in order, bad ones are reported by line with their status', async () => {
    const lines: unknown[] = [
      { command: 'RegisterParty', id: 'NATO', name: 'NATO', kind: 'organization' },
      { command: 'RegisterParty', id: 'RUS', name: 'Russia', kind: 'state' },
      { command: 'RegisterIssue', id: 'ukraine-nato-membership', title: 'Ukraine NATO membership' },
    ];
    const bad = new Map<number, number>(); // line number → expected status
    for (let index = 0; lines.length < 10_000; index++) {
      const demandId = `demand-${index}`;
      lines.push({ command: 'IssueDemand', id: demandId, by: 'RUS', addressedTo: ['NATO'], issue: 'ukraine-nato-membership', summary: `demand ${index}`, ...provenance });
      if (index % 500 === 7) {
        lines.push('{"command": "IssueDemand", "by": ');
        bad.set(lines.length, 400);
        lines.push({ command: 'RejectDemand', demandId, by: 'ATLANTIS', ...provenance });
        bad.set(lines.length, 422);
        lines.push({ command: 'AcceptDemand', demandId: 'never-issued', by: 'NATO', ...provenance });
        bad.set(lines.length, 404);
        lines.push({ command: 'LaunchMissiles', ...provenance });
        bad.set(lines.length, 400);
      } else {
        lines.push({ command: 'RejectDemand', demandId, by: 'NATO', ...provenance });
      }
    }
    lines.length = 10_000;
    const expectedBad = [...bad.entries()].filter(([line]) => line <= 10_000);

    const started = performance.now();
    const response = await writer.post('/v1/import', ndjson(lines), { 'content-type': 'application/x-ndjson' });
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`import: 10,000 lines in ${seconds.toFixed(1)} s (${Math.round(10_000 / seconds)} lines/s)\n`);

    expect(response.status).toBe(200);
    expect(response.body.accepted).toBe(10_000 - expectedBad.length);
    expect(response.body.rejected.map((rejection: { line: number; status: number }) => [rejection.line, rejection.status]))
      .toEqual(expectedBad);
    expect(response.body.rejected[0].detail).toBe('not valid JSON');

    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM journal');
    expect(rows[0]!.n).toBe(10_000 - expectedBad.length);
  });

  // Regression: a retraction and another command on the same stream in one chunk made the import
  // fold the stream once, with the first command's decider, and answer 500.
  it('takes a retraction and a statement on the same party stream in one request', async () => {
    const first = await writer.post('/v1/import', ndjson([
      { command: 'StatePosition', by: 'RUS', issue: 'ukraine-nato-membership', stance: 'opposes', summary: 'to be retracted', ...provenance },
    ]), { 'content-type': 'application/x-ndjson' });
    expect(first.body.accepted).toBe(1);
    const { rows } = await db.query<{ event_id: string }>("SELECT event_id FROM journal WHERE data->>'summary' = 'to be retracted'");
    const second = await writer.post('/v1/import', ndjson([
      { command: 'RetractEvent', eventId: rows[0]!.event_id, reason: 'misquoted' },
      { command: 'StatePosition', by: 'RUS', issue: 'ukraine-nato-membership', stance: 'rejects', summary: 'the right quote', ...provenance },
      { command: 'RetractEvent', eventId: rows[0]!.event_id, reason: 'twice' },
    ]), { 'content-type': 'application/x-ndjson' });
    expect(second.status).toBe(200);
    expect(second.body.accepted).toBe(2);
    expect(second.body.rejected).toEqual([{ line: 3, status: 409, detail: expect.any(String) }]);
  });

  it('refuses another content type with 415', async () => {
    const response = await writer.post('/v1/import', { command: 'RegisterIssue' });
    expect(response.status).toBe(415);
  });

  it('stops at a line longer than 1 MiB with 413, reporting what it processed before', async () => {
    const response = await writer.post('/v1/import', ndjson([
      { command: 'RegisterIssue', id: 'before-the-long-line', title: 'fine' },
      `{"command": "RegisterIssue", "id": "long", "title": "${'x'.repeat(1_100_000)}"}`,
    ]), { 'content-type': 'application/x-ndjson' });
    expect(response.status).toBe(413);
    expect(response.body.accepted).toBe(1);
  });
});
