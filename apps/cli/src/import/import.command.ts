// `chancery import icews|gdelt <file>`: coded event data in, as developments, through the API.
import cliProgress from 'cli-progress';
import { Command, Option } from 'commander';
import { type ApiClient, apiClient } from '../api-client.js';
import { type Dataset, type ImportProgress, type ImportSummary, importEvents } from './import-events.js';
import { waitUntilReadable } from './readable.js';

type Options = { url: string; key?: string; batch: string };

/** On a terminal a bar (rows/s, ETA by bytes read); otherwise a plain line per batch, on stderr so stdout stays the summary. */
function progressReporter(stream: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  const rate = (read: number) => Math.round(read / Math.max((Date.now() - started) / 1000, 0.001));
  if (!stream.isTTY) {
    return {
      update: (progress: ImportProgress) => stream.write(
        `read ${progress.read} rows (${Math.floor((100 * progress.bytesRead) / Math.max(progress.bytesTotal, 1))} %), recorded ${progress.recorded}, `
        + `duplicates ${progress.duplicates}, refused ${progress.refused}, ${rate(progress.read)} rows/s\n`),
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar({
    stream,
    format: '{bar} {percentage}% | {rows} rows, {rate} rows/s | ETA {eta_formatted} | recorded {recorded}, duplicates {duplicates}, refused {refused}',
    hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  let barShown = false;
  return {
    update(progress: ImportProgress) {
      const payload = { rows: progress.read, rate: rate(progress.read), recorded: progress.recorded, duplicates: progress.duplicates, refused: progress.refused };
      if (!barShown) {
        bar.start(progress.bytesTotal, progress.bytesRead, payload);
        barShown = true;
      } else bar.update(progress.bytesRead, payload);
    },
    stop: () => barShown && bar.stop(),
  };
}

export function formatSummary(summary: ImportSummary): string[] {
  return [
    `read ${summary.read} rows: ${summary.recorded} recorded, ${summary.duplicates} skipped as duplicates, ${summary.refused.length} refused`,
    `parties registered: ${summary.partiesRegistered}`,
    ...summary.refused.map((refusal) => `  line ${refusal.line}: ${refusal.reason}`),
  ];
}

export async function runImport(api: ApiClient, dataset: Dataset, file: string, batchRows: number, showProgress = true): Promise<ImportSummary> {
  const reporter = showProgress ? progressReporter() : undefined;
  try {
    const summary = await importEvents(api, { dataset, file, batchRows, onProgress: reporter?.update });
    reporter?.stop();
    if (summary.consistencyToken) await waitUntilReadable(api, summary.consistencyToken);
    return summary;
  } finally {
    reporter?.stop();
  }
}

export function importCommand(url: Option, key: Option, adminKey: () => string | undefined): Command {
  const command = new Command('import').description('import coded event data as developments, through the API');
  for (const [dataset, what] of [['icews', 'an ICEWS events file (tab-separated, with its header row)'], ['gdelt', 'a GDELT 2.0 events export (61 tab-separated columns, no header)']] as const) {
    command.command(dataset)
      .description(`import ${what}; importing it again records nothing new`)
      .argument('<file>')
      .addOption(url).addOption(key)
      .addOption(new Option('--batch <rows>', 'rows per request').default('2000').argParser((value) => {
        if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 50_000) throw new Error('--batch is a number of rows, 1 to 50000');
        return value;
      }))
      .action(async (file: string, options: Options) => {
        const apiKey = options.key ?? adminKey();
        if (!apiKey) throw new Error('no API key: pass --key or CHANCERY_API_KEY, or start the stack with `npm start` first');
        const summary = await runImport(apiClient(options.url, apiKey), dataset, file, Number(options.batch));
        for (const line of formatSummary(summary)) process.stdout.write(`${line}\n`);
      });
  }
  return command;
}
