// The edge of every write endpoint: validate the body, read the headers, send the command on the bus.
import { applyDecorators, HttpCode, Injectable, SetMetadata } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { type AuthenticatedRequest, parseOrThrow, RequiresRole } from '#platform';
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

/** A write endpoint: writer role, 201, and its body schema in the OpenAPI document. */
export function Develops(name: UseCaseName) {
  return applyDecorators(
    RequiresRole('writer'),
    SetMetadata(USE_CASE, name),
    HttpCode(201),
    ApiBearerAuth(),
    ApiBody({ schema: z.toJSONSchema(useCases[name].body, { unrepresentable: 'any', io: 'input' }) as object }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Repeats return the first response and append nothing.' }),
    ApiHeader({ name: 'If-Match', required: false, description: 'The stream version the command expects, e.g. "3"; 409 if it moved.' }),
    ApiResponse({ status: 201, description: 'Recorded in the journal.', schema: createdSchema }),
    ApiResponse({ status: 400, description: 'Malformed or invalid body.' }),
    ApiResponse({ status: 409, description: 'Conflicts with the current state or version.' }),
    ApiResponse({ status: 422, description: 'Names an unknown party or issue, or breaks a rule.' }),
  );
}
