import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '#platform';
import { CommandGateway, Develops } from '../commands/command-gateway.js';

@ApiTags('demands')
@Controller('v1/demands')
export class DemandsHttpController {
  constructor(private readonly commands: CommandGateway) {}

  @Post()
  @Develops('IssueDemand')
  issue(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    return this.commands.run('IssueDemand', request, response);
  }

  @Post(':id/rejections')
  @Develops('RejectDemand')
  reject(@Param('id') id: string, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    return this.commands.run('RejectDemand', request, response, id);
  }

  @Post(':id/acceptances')
  @Develops('AcceptDemand')
  accept(@Param('id') id: string, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    return this.commands.run('AcceptDemand', request, response, id);
  }

  @Post(':id/withdrawals')
  @Develops('WithdrawDemand')
  withdraw(@Param('id') id: string, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    return this.commands.run('WithdrawDemand', request, response, id);
  }
}
