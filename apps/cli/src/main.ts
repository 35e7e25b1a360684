// The `chancery` command: operations on a running Chancery (demo; replay, verify and export follow).
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { runDemo } from './demo/demo.command.js';

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
  .addOption(url).addOption(key)
  .action(async (options: { url: string; key?: string }) => {
    const apiKey = options.key ?? localAdminKey();
    if (!apiKey) throw new Error('no API key: pass --key or CHANCERY_API_KEY, or start the stack with `npm start` first');
    await runDemo({ url: options.url, key: apiKey });
  });

program.parseAsync().catch((error: unknown) => {
  const cause = (error as { cause?: { code?: string } }).cause;
  const message = cause?.code === 'ECONNREFUSED' ? 'Chancery is not running there: start it with `npm start`' : (error as Error).message;
  process.stderr.write(`chancery: ${message}\n`);
  process.exit(1);
});
