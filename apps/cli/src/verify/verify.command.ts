// `chancery verify`, as main.ts registers it. The work (and its heavy imports: kafkajs, pg, Nest's
// logger) loads only when the command runs, so other commands start fast.
import { Command, InvalidArgumentError } from 'commander';

function wholeNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return parsed;
}

/** Exit status 0: no difference; 1: differences; 2: could not verify. */
export function verifyCommand(): Command {
  return new Command('verify')
    .description('prove the Kafka events topic holds exactly the journal\'s events and every projection checkpoint is consistent')
    .option('--examples <n>', 'examples printed per kind of difference', wholeNumber, 5)
    .option('--json', 'print the report as JSON')
    .option('--allow-unpublished', 'report journal events the relay has not sent yet without failing on them')
    .addHelpText('after', `
Connects directly to Postgres (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/chancery) and
Kafka (KAFKA_BROKERS, default 127.0.0.1:9092; topic <CHANCERY_TOPIC_PREFIX>.events, default chancery).
Reads the whole topic with a throwaway consumer group (deleted afterwards); progress goes to stderr.
Exit status: 0 no difference, 1 differences (listed), 2 could not verify.`)
    .action(async (options: { examples: number; json?: boolean; allowUnpublished?: boolean }) => {
      let exitCode: number;
      try {
        const [{ Logger }, { loadConfig }, { runVerify, StderrLogger }, { formatReport }] = await Promise.all([
          import('@nestjs/common'), import('#platform'), import('./verify.js'), import('./verify-report.js')]);
        Logger.overrideLogger(new StderrLogger('chancery verify', { logLevels: ['error', 'warn'] }));
        const config = loadConfig({ KAFKA_BROKERS: '127.0.0.1:9092', ...process.env });
        const report = await runVerify({
          databaseUrl: config.databaseUrl,
          brokers: config.kafka.brokers,
          topicPrefix: config.kafka.topicPrefix,
          groupPrefix: config.kafka.groupPrefix,
          examples: options.examples,
          allowUnpublished: options.allowUnpublished ?? false,
          showProgress: true,
        });
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
        exitCode = report.ok ? 0 : 1;
      } catch (error) {
        process.stderr.write(`chancery verify: could not verify: ${(error as Error).message}\n`);
        exitCode = 2;
      }
      // kafkajs may keep a reconnect timer alive after disconnecting: the report is out, so leave.
      process.stdout.write('', () => process.exit(exitCode));
    });
}
