import { Controller, HttpCode, Inject, Logger, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import pg from 'pg';
import { ApiProblems, type AuthenticatedRequest, PG_POOL, ProblemError, RequiresRole, validationProblem } from '#platform';
import { rangeConsistencyToken } from '../commands/consistency-token.js';
import type { BatchItem } from '../commands/command-executor.js';
import { ExecuteCommands } from '../commands/execute-command.js';
import { isUseCaseName, useCases } from '../commands/use-cases.js';
import { LineTooLong, ndjsonLines } from './ndjson-lines.js';

export type ImportRejection = { line: number; status: number; detail: string };
/** `consistencyToken` (an extension of the contract) makes a read wait until the whole import is readable. */
export type ImportReport = { accepted: number; rejected: ImportRejection[]; consistencyToken?: string };

const importReportSchema = {
  type: 'object',
  required: ['accepted', 'rejected'],
  properties: {
    accepted: { type: 'integer', minimum: 0 },
    rejected: {
      type: 'array',
      items: { type: 'object', required: ['line', 'status', 'detail'], properties: { line: { type: 'integer' }, status: { type: 'integer' }, detail: { type: 'string' } } },
    },
    consistencyToken: { type: 'string', description: 'Send as X-Consistency-Token on a read to wait until it includes the whole import.' },
  },
};

const maxLineBytes = 1024 * 1024;
/** Lines decided together and appended in one transaction. */
const chunkLines = 500;

/**
 * POST /v1/import: one command a line, `{"command": "IssueDemand", ...body}`; a path's id goes in
 * its field (`demandId`, `meetingId`, `proposalId`, `eventId`). Lines are decided in order, each on
 * its own, so a bad line is reported and the next one still runs; they are appended in chunks of
 * 500 lines, one transaction each.
 */
@ApiTags('import')
@RequiresRole('writer')
@Controller('v1/import')
export class ImportHttpController {
  private readonly logger = new Logger('Import');

  constructor(private readonly commandBus: CommandBus, @Inject(PG_POOL) private readonly pool: pg.Pool) {}

  private async lastPosition(): Promise<string> {
    const { rows } = await this.pool.query<{ position: string }>('SELECT coalesce(max(global_position), 0)::text AS position FROM journal');
    return rows[0]!.position;
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ operationId: 'importDevelopments', summary: 'Record many developments, one command a line (NDJSON)' })
  @ApiConsumes('application/x-ndjson')
  @ApiOkResponse({ description: 'What was recorded, and each line refused with why.', schema: importReportSchema })
  @ApiProblems([413, 'A line is longer than 1 MiB; the lines before it were processed.'], [415, 'The body is not application/x-ndjson.'])
  @ApiBody({ schema: { type: 'string', description: 'NDJSON: one {"command": "<name>", ...body} per line' } })
  async import(@Req() request: AuthenticatedRequest): Promise<ImportReport> {
    if (!request.is('application/x-ndjson')) {
      throw ProblemError.of(415, 'unsupported-media-type', 'Send the import as Content-Type: application/x-ndjson.');
    }
    const report: ImportReport = { accepted: 0, rejected: [] };
    const before = await this.lastPosition();
    let chunk: Array<BatchItem & { line: number }> = [];
    // One chunk is decided and appended while the next one is read and parsed; chunks still run one
    // after the other, in line order.
    let running: Promise<void> = Promise.resolve();
    const execute = async (lines: Array<BatchItem & { line: number }>) => {
      const outcomes = await this.commandBus.execute(new ExecuteCommands(lines));
      for (const [index, outcome] of outcomes.entries()) {
        if ('response' in outcome) report.accepted++;
        else report.rejected.push({ line: lines[index]!.line, status: outcome.problem.problem.status, detail: outcome.problem.problem.detail });
      }
    };
    const flush = async () => {
      await running;
      if (chunk.length === 0) return;
      const lines = chunk;
      chunk = [];
      running = execute(lines);
      // Observed by the next flush; a failure must not go unhandled meanwhile.
      running.catch(() => {});
    };
    try {
      for await (const { number, text } of ndjsonLines(request, maxLineBytes)) {
        if (text.trim() === '') continue;
        const parsed = this.parseLine(text, request);
        if ('status' in parsed) report.rejected.push({ line: number, ...parsed });
        else chunk.push({ ...parsed, line: number });
        if (chunk.length >= chunkLines) await flush();
      }
      await flush();
      await running;
      report.rejected.sort((a, b) => a.line - b.line);
    } catch (error) {
      if (error instanceof LineTooLong) {
        await flush();
        await running;
        report.rejected.sort((a, b) => a.line - b.line);
        throw ProblemError.of(413, 'import-line-too-long', `${error.message}; the lines before it were processed.`, { ...report });
      }
      // Whatever fails, no chunk is still being appended when the request answers.
      await running.catch(() => {});
      throw error;
    }
    this.logger.log({ correlationId: String(request.id), accepted: report.accepted, rejected: report.rejected.length, by: request.principal.name }, 'import finished');
    return { ...report, consistencyToken: rangeConsistencyToken(before, await this.lastPosition()) };
  }

  /** A line's command, or why it is not one. */
  private parseLine(text: string, request: AuthenticatedRequest): BatchItem | Omit<ImportRejection, 'line'> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { status: 400, detail: 'not valid JSON' };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { status: 400, detail: 'a line is a JSON object' };
    }
    const { command: name, ...body } = parsed as Record<string, unknown>;
    if (!isUseCaseName(name)) {
      return { status: 400, detail: `"command" must be one of ${Object.keys(useCases).join(', ')}` };
    }
    const useCase = useCases[name];
    const line = useCase.importLine.safeParse(body);
    if (!line.success) {
      const problem = validationProblem(line.error, 'line').problem;
      return { status: 400, detail: problem.errors!.map((error) => `${error.path}: ${error.message}`).join('; ') };
    }
    const command = useCase.toCommand(line.data);
    return {
      command,
      meta: {
        principal: request.principal,
        correlationId: String(request.id),
        resourceId: (eventIds) => useCase.resourceId(command, eventIds),
      },
    };
  }
}
