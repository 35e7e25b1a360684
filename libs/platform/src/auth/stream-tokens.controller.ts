import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedRequest } from './api-key.guard.js';
import { RequiresRole } from './roles.decorator.js';
import { StreamTokens } from './stream-tokens.service.js';

@ApiTags('stream')
@RequiresRole('reader')
@Controller('v1/stream-tokens')
export class StreamTokensController {
  constructor(private readonly streamTokens: StreamTokens) {}

  /** For a browser's EventSource: `GET /v1/stream?token=<token>` opens the stream as this key until `expiresAt`. */
  @Post()
  @HttpCode(201)
  @ApiOperation({ operationId: 'createStreamToken', summary: 'Get a short-lived token that opens the live stream' })
  @ApiCreatedResponse({ description: 'The token and when it stops opening streams (a stream already open stays open).' })
  create(@Req() request: AuthenticatedRequest) {
    return this.streamTokens.issue(request.principal);
  }
}
