import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '#platform';
import { CommandGateway, Develops } from '../commands/command-gateway.js';

/** Any CAMEO-coded development without a lifecycle of its own; demands, meetings, warnings and proposals keep their endpoints. */
@ApiTags('developments')
@Controller('v1/developments')
export class CodedDevelopmentsHttpController {
  constructor(private readonly commands: CommandGateway) {}

  @Post()
  @Develops('RecordCodedDevelopment')
  record(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    return this.commands.run('RecordCodedDevelopment', request, response);
  }
}
