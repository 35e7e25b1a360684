import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '#platform';
import { CommandGateway, Develops } from '../commands/command-gateway.js';

@ApiTags('parties')
@Controller('v1/parties')
export class PartiesHttpController {
  constructor(private readonly commands: CommandGateway) {}

  @Post()
  @Develops('RegisterParty')
  register(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    return this.commands.run('RegisterParty', request, response);
  }
}
