// The Nest CLI knows the monorepo: every app and lib is a project of nest-cli.json, and
// `nest start <app> --watch` compiles an app with the project's settings and serves it from the
// CLI's own output, where the `#lib` imports (package.json "imports" → dist/libs/…) resolve.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, spawnedAppsGround, type SpawnedAppsGround, waitFor } from '#testing';

const root = fileURLToPath(new URL('../../', import.meta.url));
const nest = join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');

type NestProject = { type: 'application' | 'library'; root: string; entryFile: string; sourceRoot: string; compilerOptions: { tsConfigPath: string } };
const nestCli = JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8')) as { monorepo: boolean; projects: Record<string, NestProject> };

const folders = (parent: string) => readdirSync(join(root, parent), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
// The Nest apps: every folder of apps/ with a Nest entry point (the console is a Vite front end).
const nestApps = () => folders('apps').filter((name) => existsSync(join(root, 'apps', name, 'src', 'main.ts')));

describe('the Nest CLI', () => {
  it('has every app and every lib as a project, each with its entry file and tsconfig', () => {
    expect(nestCli.monorepo).toBe(true);
    const projects = Object.entries(nestCli.projects);
    expect(projects.filter(([, project]) => project.type === 'application').map(([name]) => name).sort()).toEqual(nestApps());
    expect(projects.filter(([, project]) => project.type === 'library').map(([name]) => name).sort()).toEqual(folders('libs'));
    for (const [, project] of projects) {
      expect(existsSync(join(root, project.sourceRoot, `${project.entryFile}.ts`))).toBe(true);
      expect(existsSync(join(root, project.compilerOptions.tsConfigPath))).toBe(true);
    }
  });

  describe('nest start relay --watch', () => {
    const adminKey = 'nest-cli-admin-key-00000000';
    let ground: SpawnedAppsGround;
    let out: string;
    let cli: ChildProcess | undefined;
    let output = '';

    beforeAll(async () => {
      ground = await spawnedAppsGround(adminKey);
      // The CLI's output goes to a folder of the test's own, beside a copy of package.json and the
      // packages, so what starts is only what this build emitted (not the project's dist/).
      out = mkdtempSync(join(tmpdir(), 'chancery-nest-cli-'));
      writeFileSync(join(out, 'package.json'), readFileSync(join(root, 'package.json')));
      symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'), 'dir');
      writeFileSync(join(out, 'tsconfig.json'), JSON.stringify({
        extends: join(root, nestCli.projects.relay!.compilerOptions.tsConfigPath),
        compilerOptions: { outDir: join(out, 'dist'), rootDir: root, tsBuildInfoFile: join(out, 'dist', '.tsbuildinfo') },
      }));
    });

    afterAll(async () => {
      if (cli && cli.exitCode === null && cli.signalCode === null) {
        const exited = once(cli, 'exit');
        // As Ctrl-C does: the whole process group, the CLI and the app it started.
        process.kill(-cli.pid!, 'SIGINT');
        await exited;
      }
      rmSync(out, { recursive: true, force: true });
      await ground.close();
    });

    it('compiles the app with its libs into the output folder and serves it', async () => {
      const port = await freePort();
      // The CLI takes the tsconfig's path relative to the workspace.
      cli = spawn(process.execPath, [nest, 'start', 'relay', '--watch', '--path', relative(root, join(out, 'tsconfig.json'))], {
        cwd: root,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        // The CLI runs the app with the `node` on PATH: the one running the tests.
        env: { ...process.env, ...ground.env, PORT: String(port), LOG_LEVEL: 'warn', PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
      });
      cli.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      cli.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = () => cli!.exitCode !== null || cli!.signalCode !== null;
      await waitFor(async () => {
        if (exited()) throw new Error(`nest start exited:\n${output}`);
        return (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.ok ?? false;
      }, 150_000).catch((error: Error) => {
        throw new Error(`${error.message}\n${output}`);
      });
      expect(output).toContain('Found 0 errors. Watching for file changes.');
      expect(existsSync(join(out, 'dist', 'apps', 'relay', 'src', 'main.js'))).toBe(true);
      expect(existsSync(join(out, 'dist', 'libs', 'journal', 'src', 'index.js'))).toBe(true);
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${adminKey}` } });
      expect(metrics.status).toBe(200);
    }, 180_000);
  });
});
