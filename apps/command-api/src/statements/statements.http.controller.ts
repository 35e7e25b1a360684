import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '#platform';
import { CommandGateway, Develops } from '../commands/command-gateway.js';

@ApiTags('statements')
@Controller('v1/statements')
export class StatementsHttpController {
  constructor(private readonly commands: CommandGateway) {}

  @Post()
  @Develops('StatePosition')
  state(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    return this.commands.run('StatePosition', request, response);
  }
}
