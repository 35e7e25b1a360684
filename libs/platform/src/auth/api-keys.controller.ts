import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem, ApiProblems } from '../http/openapi.js';
import { z } from 'zod';
import { ZodPipe } from '../http/validation.js';
import { ApiKeys, roles } from './api-keys.service.js';
import { RequiresRole } from './roles.decorator.js';

const createApiKey = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, '1–64 letters, digits, ".", "_" or "-"'),
  role: z.enum(roles),
});

@ApiTags('api-keys')
@RequiresRole('admin')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeys) {}

  /** The key is in this response only; Chancery stores its digest. */
  @Post()
  @ApiOperation({ operationId: 'createApiKey', summary: 'Create an API key (shown once)' })
  @ApiCreatedResponse({ description: 'The key, shown this once.' })
  @ApiProblems([400, 'The body is not valid.'], [409, 'A key has this name already.'])
  create(@Body(new ZodPipe(createApiKey)) body: z.infer<typeof createApiKey>) {
    return this.apiKeys.create(body.name, body.role);
  }

  @Get()
  @ApiOperation({ operationId: 'listApiKeys', summary: 'List the API keys (names and roles)' })
  @ApiOkResponse({ description: 'The keys, without their secrets.' })
  async list() {
    return { items: await this.apiKeys.list(), nextCursor: null };
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({ operationId: 'revokeApiKey', summary: 'Revoke an API key' })
  @ApiNoContentResponse({ description: 'Revoked.' })
  @ApiProblem(404, 'No key has this name.')
  async revoke(@Param('name') name: string): Promise<void> {
    await this.apiKeys.revoke(name);
  }
}
