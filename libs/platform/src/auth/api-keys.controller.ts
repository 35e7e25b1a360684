import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ZodPipe } from '../http/validation.js';
import { ApiKeys, roles } from './api-keys.service.js';
import { RequiresRole } from './roles.decorator.js';

const createApiKey = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, '1–64 letters, digits, ".", "_" or "-"'),
  role: z.enum(roles),
});

@ApiTags('api-keys')
@ApiBearerAuth()
@RequiresRole('admin')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeys) {}

  /** The key is in this response only; Chancery stores its digest. */
  @Post()
  create(@Body(new ZodPipe(createApiKey)) body: z.infer<typeof createApiKey>) {
    return this.apiKeys.create(body.name, body.role);
  }

  @Get()
  async list() {
    return { items: await this.apiKeys.list(), nextCursor: null };
  }

  @Delete(':name')
  @HttpCode(204)
  async revoke(@Param('name') name: string): Promise<void> {
    await this.apiKeys.revoke(name);
  }
}
