import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '#platform';
import { CommandGateway, Develops } from '../commands/command-gateway.js';

@ApiTags('warnings')
@Controller('v1/warnings')
export class WarningsHttpController {
  constructor(private readonly commands: CommandGateway) {}

  @Post()
  @Develops('GiveWarning')
  give(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    return this.commands.run('GiveWarning', request, response);
  }
}
