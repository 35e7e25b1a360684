// The `chancery` command: operations on a running Chancery.
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { apiClient } from './api-client.js';
import { runDemo } from './demo/demo.command.js';
import { runIcewsDemo } from './demo/icews-demo.js';
import { exportCommand } from './export/export.command.js';
import { importCommand } from './import/import.command.js';
import { runReplay } from './replay/replay.command.js';
import { verifyCommand } from './verify/verify.command.js';

function localAdminKey(): string | undefined {
  try {
    return readFileSync(new URL('../../../../.chancery/admin-key', import.meta.url), 'utf8').trim();
  } catch {
    return undefined;
  }
}

const program = new Command('chancery').description('Operate a Chancery deployment');
const url = new Option('--url <url>', 'the API').env('CHANCERY_URL').default('http://127.0.0.1:3000');
const key = new Option('--key <key>', 'an API key (default: the local admin key `npm start` made)').env('CHANCERY_API_KEY');

program.command('demo')
  .description('load the seed article (NATO–Russia talks, January 2022) and print positions and open demands')
  .option('--icews', 'instead: import the ICEWS June 2018 sample and print the month\'s most conflictual pairs')
  .addOption(url).addOption(key)
  .action(async (options: { url: string; key?: string; icews?: boolean }) => {
    const apiKey = options.key ?? localAdminKey();
    if (!apiKey) throw new Error('no API key: pass --key or CHANCERY_API_KEY, or start the stack with `npm start` first');
    if (options.icews) await runIcewsDemo(apiClient(options.url, apiKey), (line) => process.stdout.write(`${line}\n`));
    else await runDemo({ url: options.url, key: apiKey });
  });

program.command('replay')
  .description('rebuild projections from offset 0 beside the live ones; each is swapped in when it has caught up')
  .argument('[names...]', 'projections to rebuild (see GET /v1/projections)')
  .option('--all', 'every projection')
  .addOption(url).addOption(key)
  .action(async (names: string[], options: { all?: boolean; url: string; key?: string }) => {
    const apiKey = options.key ?? localAdminKey();
    if (!apiKey) throw new Error('no API key: pass --key or CHANCERY_API_KEY');
    await runReplay(apiClient(options.url, apiKey), { names, all: options.all ?? false });
  });

program.addCommand(importCommand(url, key, localAdminKey));

// These two read Postgres and Kafka directly, not through the API.
program.addCommand(verifyCommand());
program.addCommand(exportCommand());

program.parseAsync().catch((error: unknown) => {
  const cause = (error as { cause?: { code?: string } }).cause;
  const message = cause?.code === 'ECONNREFUSED' ? 'Chancery is not running there: start it with `npm start`' : (error as Error).message;
  process.stderr.write(`chancery: ${message}\n`);
  process.exit(1);
});
