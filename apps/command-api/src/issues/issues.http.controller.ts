import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '#platform';
import { CommandGateway, Develops } from '../commands/command-gateway.js';

@ApiTags('issues')
@Controller('v1/issues')
export class IssuesHttpController {
  constructor(private readonly commands: CommandGateway) {}

  @Post()
  @Develops('RegisterIssue')
  register(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    return this.commands.run('RegisterIssue', request, response);
  }
}
