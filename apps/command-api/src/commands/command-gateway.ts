// The edge of every write endpoint: validate the body, read the headers, send the command on the bus.
import { applyDecorators, HttpCode, Injectable, SetMetadata } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { ApiProblems, type AuthenticatedRequest, jsonSchemaOf, parseOrThrow, RequiresRole } from '#platform';
import type { CommandResponse } from './command-executor.js';
import { USE_CASE } from './command-metrics.interceptor.js';
import { parseCommandHeaders } from './command-headers.js';
import { ExecuteCommand } from './execute-command.js';
import { type UseCaseName, useCases } from './use-cases.js';

@Injectable()
export class CommandGateway {
  constructor(private readonly commandBus: CommandBus) {}

  async run(name: UseCaseName, request: AuthenticatedRequest, response: Response, pathId?: string): Promise<CommandResponse> {
    const useCase = useCases[name];
    const headers = parseCommandHeaders(request.headers);
    const body = parseOrThrow(useCase.body, request.body ?? {});
    if (pathId !== undefined) parseOrThrow(z.string().min(1).max(128), pathId);
    const command = useCase.toCommand(body, pathId);
    const result = await this.commandBus.execute(new ExecuteCommand(command, {
      principal: request.principal,
      correlationId: String(request.id),
      idempotencyKey: headers.idempotencyKey,
      // What makes a repeat of the key "the same request"; only a key needs it.
      request: headers.idempotencyKey === undefined ? undefined : JSON.stringify([name, pathId ?? null, body]),
      expectedVersion: headers.expectedVersion,
      resourceId: (eventIds) => useCase.resourceId(command, eventIds),
    }));
    response.setHeader('ETag', `"${result.version}"`);
    return result;
  }
}

const createdSchema = {
  type: 'object',
  required: ['id', 'streamId', 'version', 'eventIds', 'consistencyToken'],
  properties: {
    id: { type: 'string' },
    streamId: { type: 'string' },
    version: { type: 'integer' },
    eventIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
    consistencyToken: { type: 'string', description: 'Send as X-Consistency-Token on a read to wait until it includes this write.' },
  },
};

/** Each write endpoint's one line in the OpenAPI document. */
const summaries: Record<UseCaseName, string> = {
  RegisterParty: 'Register a party (a state, an organization, a person or a group)',
  RegisterIssue: 'Register an issue that positions are about',
  IssueDemand: 'Record a demand issued to one or more addressees',
  RejectDemand: "Record an addressee's rejection of a demand",
  AcceptDemand: "Record an addressee's acceptance of a demand",
  WithdrawDemand: "Record the issuer's withdrawal of a demand",
  HoldMeeting: 'Record a meeting that was held',
  ScheduleMeeting: 'Record a meeting that was scheduled',
  RecordMeetingHeld: 'Record that a scheduled meeting was held',
  CancelMeeting: 'Record the cancellation of a meeting',
  GiveWarning: 'Record a warning given to one or more parties',
  MakeProposal: 'Record a proposal made to one or more parties',
  DeclineProposal: "Record an addressee's decline of a proposal",
  AcceptProposal: "Record an addressee's acceptance of a proposal",
  StatePosition: "Record a party's stated stance on an issue",
  RetractEvent: 'Retract a recorded event; its effects are undone everywhere',
  RecordCodedDevelopment: 'Record a CAMEO-coded development that has no lifecycle of its own',
};

/** `IssueDemand` → `issueDemand`: the operation is named after its use case. */
const operationIdOf = (name: UseCaseName) => `${name[0]!.toLowerCase()}${name.slice(1)}`;

/** A write endpoint: writer role, 201, and its body schema and answers in the OpenAPI document. */
export function Develops(name: UseCaseName) {
  const useCase = useCases[name];
  return applyDecorators(
    RequiresRole('writer'),
    SetMetadata(USE_CASE, name),
    HttpCode(201),
    ApiOperation({ operationId: operationIdOf(name), summary: summaries[name] }),
    ApiBody({ schema: jsonSchemaOf(useCase.body) }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Repeats return the first response and append nothing.' }),
    ApiHeader({ name: 'If-Match', required: false, description: 'The stream version the command expects, e.g. "3"; 409 if it moved.' }),
    ApiResponse({ status: 201, description: 'Recorded in the journal.', schema: createdSchema }),
    ApiProblems(
      [400, 'Malformed or invalid body or headers (each invalid field is named in `errors`).'],
      ...(useCase.pathField ? [[404, 'Nothing the path names is recorded.'] as [number, string]] : []),
      [409, 'Conflicts with the current state or version.'],
      [413, 'The body is larger than the server accepts.'],
      [415, 'The body is in an encoding the server does not read.'],
      [422, 'Names an unknown party or issue, or breaks a rule.'],
    ),
  );
}
