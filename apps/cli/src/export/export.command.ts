// `chancery export`, as main.ts registers it; the work loads only when the command runs.
import { Command } from 'commander';

const collect = (value: string, previous: string[]) => [...previous, value];

export function exportCommand(): Command {
  return new Command('export')
    .description('write the journal\'s events as NDJSON envelopes (one a line, in global position order)')
    .option('--out <file>', 'write to this file (complete or not at all) instead of stdout')
    .option('--stream <streamId>', 'only this stream (repeatable)', collect, [])
    .option('--type <eventType>', 'only this event type (repeatable)', collect, [])
    .option('--from <time>', 'only events that occurred at or after this date or timestamp (occurredAt)')
    .option('--to <time>', 'only events that occurred at or before this date or timestamp (occurredAt)')
    .option('--after <globalPosition>', 'only events after this global position (resume a previous export)')
    .addHelpText('after', `
Reads the journal directly (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/chancery) in one
consistent snapshot. --from/--to filter on valid time, occurredAt, as the API's from/to do: a date
means its midnight UTC, both ends are included. Envelopes are those of GET /v1/events and the topic.`)
    .action(async (options: { out?: string; stream: string[]; type: string[]; from?: string; to?: string; after?: string }) => {
      // A reader that stops early (| head) closes the pipe: that ends the export, it is not a failure.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') process.exit(0);
        throw error;
      });
      const [{ loadConfig }, { runExport }] = await Promise.all([import('#platform'), import('./export-events.js')]);
      const config = loadConfig({ KAFKA_BROKERS: '127.0.0.1:9092', ...process.env });
      const exported = await runExport({
        databaseUrl: config.databaseUrl, out: options.out, streams: options.stream, types: options.type,
        from: options.from, to: options.to, after: options.after, showProgress: true,
      });
      if (options.out) process.stderr.write(`exported ${exported.toLocaleString('en')} events to ${options.out}\n`);
    });
}
