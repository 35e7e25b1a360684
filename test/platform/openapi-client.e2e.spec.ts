// A client generated from the served document, as a consumer of the API would make one: types by
// openapi-typescript, calls by openapi-fetch, compiled with tsc, then run against the server.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { client, startTestApp, type TestApp } from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const adminKey = 'openapi-client-admin-key-00000';

/** Calls that the document's types allow; `registered.data` and `again.error` are typed by it. */
const calls = `
import createClient from 'openapi-fetch';
import type { paths } from './chancery-api.js';

const chancery = createClient<paths>({ baseUrl: process.env.CHANCERY_URL!, headers: { authorization: \`Bearer \${process.env.CHANCERY_API_KEY}\` } });
const nato = { id: 'NATO', name: 'North Atlantic Treaty Organization', kind: 'organization' } as const;
const registered = await chancery.POST('/v1/parties', { body: nato });
const version: number | undefined = registered.data?.version;
const again = await chancery.POST('/v1/parties', { body: nato });
const refusal: string | undefined = again.error?.detail;
const party = await chancery.GET('/v1/parties/{id}', {
  params: { path: { id: 'NATO' }, header: { 'X-Consistency-Token': registered.data!.consistencyToken } },
});
process.stdout.write(JSON.stringify({ version, again: again.response.status, refusal, party: party.response.status }));
`;

/** Calls the types refuse: a kind of party that does not exist, a path without its id. */
const wrongCalls = `
import createClient from 'openapi-fetch';
import type { paths } from './chancery-api.js';

const chancery = createClient<paths>({ baseUrl: 'http://127.0.0.1' });
await chancery.POST('/v1/parties', { body: { id: 'NATO', name: 'NATO', kind: 'planet' } });
await chancery.GET('/v1/parties/{id}', {});
`;

async function run(command: string, args: string[], options: { cwd: string; env?: Record<string, string> }) {
  const child = spawn(command, args, { ...options, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

const tsc = (cwd: string, project: string) => run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { cwd });

describe('a typed client generated from /openapi.json', () => {
  let served: TestApp;
  let folder: string;

  beforeAll(async () => {
    served = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey });
    folder = mkdtempSync(join(tmpdir(), 'chancery-client-'));
    symlinkSync(join(root, 'node_modules'), join(folder, 'node_modules'), 'dir');
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ type: 'module' }));
    const compilerOptions = { target: 'ES2024', lib: ['ES2024'], module: 'nodenext', moduleResolution: 'nodenext', strict: true, types: ['node'], outDir: 'out' };
    writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['calls.ts'] }));
    writeFileSync(join(folder, 'tsconfig.wrong.json'), JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true }, files: ['wrong-calls.ts'] }));
    writeFileSync(join(folder, 'calls.ts'), calls);
    writeFileSync(join(folder, 'wrong-calls.ts'), wrongCalls);
  });

  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await served.close();
  });

  it('types every path, compiles a call that fits, refuses ones that do not, and the call works', async () => {
    const document = (await client(served.baseUrl).get('/openapi.json')).body;
    writeFileSync(join(folder, 'chancery-api.d.ts'), astToString(await openapiTS(document)));

    const compiled = await tsc(folder, 'tsconfig.json');
    expect({ code: compiled.code, output: compiled.output }).toEqual({ code: 0, output: '' });

    const refused = await tsc(folder, 'tsconfig.wrong.json');
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain(`wrong-calls.ts(6,72): error TS2322: Type '"planet"' is not assignable`);
    expect(refused.output).toMatch(/wrong-calls\.ts\(7,\d+\): error TS2345.*Property 'params' is missing/s);

    const answered = await run(process.execPath, [join(folder, 'out', 'calls.js')], {
      cwd: folder, env: { CHANCERY_URL: served.baseUrl, CHANCERY_API_KEY: adminKey },
    });
    expect(answered.code).toBe(0);
    expect(JSON.parse(answered.output)).toEqual({ version: 1, again: 409, refusal: 'party NATO is already registered', party: 200 });
  }, 120_000);
});
