import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '#platform';
import { CommandGateway, Develops } from '../commands/command-gateway.js';

@ApiTags('proposals')
@Controller('v1/proposals')
export class ProposalsHttpController {
  constructor(private readonly commands: CommandGateway) {}

  @Post()
  @Develops('MakeProposal')
  make(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    return this.commands.run('MakeProposal', request, response);
  }

  @Post(':id/declines')
  @Develops('DeclineProposal')
  decline(@Param('id') id: string, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    return this.commands.run('DeclineProposal', request, response, id);
  }

  @Post(':id/acceptances')
  @Develops('AcceptProposal')
  accept(@Param('id') id: string, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    return this.commands.run('AcceptProposal', request, response, id);
  }
}
