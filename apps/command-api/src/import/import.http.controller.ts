import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedRequest, ProblemError, RequiresRole, validationProblem } from '#platform';
import { ExecuteCommand } from '../commands/execute-command.js';
import { isUseCaseName, useCases } from '../commands/use-cases.js';
import { LineTooLong, ndjsonLines } from './ndjson-lines.js';

export type ImportRejection = { line: number; status: number; detail: string };
export type ImportReport = { accepted: number; rejected: ImportRejection[] };

const maxLineBytes = 1024 * 1024;

function problemOf(error: unknown): ProblemError | undefined {
  return error instanceof ProblemError ? error : undefined;
}

/**
 * POST /v1/import: one command a line, `{"command": "IssueDemand", ...body}`; a path's id goes in
 * its field (`demandId`, `meetingId`, `proposalId`, `eventId`). Lines run in order, each on its
 * own, so a bad line is reported and the next one still runs.
 */
@ApiTags('import')
@ApiBearerAuth()
@RequiresRole('writer')
@Controller('v1/import')
export class ImportHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(200)
  @ApiConsumes('application/x-ndjson')
  @ApiBody({ schema: { type: 'string', description: 'NDJSON: one {"command": "<name>", ...body} per line' } })
  async import(@Req() request: AuthenticatedRequest): Promise<ImportReport> {
    if (!request.is('application/x-ndjson')) {
      throw ProblemError.of(415, 'unsupported-media-type', 'Send the import as Content-Type: application/x-ndjson.');
    }
    const report: ImportReport = { accepted: 0, rejected: [] };
    try {
      for await (const { number, text } of ndjsonLines(request, maxLineBytes)) {
        if (text.trim() === '') continue;
        const rejection = await this.importLine(text, request);
        if (rejection) report.rejected.push({ line: number, ...rejection });
        else report.accepted++;
      }
    } catch (error) {
      if (error instanceof LineTooLong) {
        throw ProblemError.of(413, 'import-line-too-long', `${error.message}; the lines before it were processed.`, { ...report });
      }
      throw error;
    }
    return report;
  }

  private async importLine(text: string, request: AuthenticatedRequest): Promise<Omit<ImportRejection, 'line'> | undefined> {
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
    try {
      await this.commandBus.execute(new ExecuteCommand(command, {
        principal: request.principal,
        correlationId: String(request.id),
        resourceId: (eventIds) => useCase.resourceId(command, eventIds),
      }));
      return undefined;
    } catch (error) {
      const problem = problemOf(error);
      if (!problem) throw error;
      return { status: problem.problem.status, detail: problem.problem.detail };
    }
  }
}
