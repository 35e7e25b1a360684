import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '#platform';
import { CommandGateway, Develops } from '../commands/command-gateway.js';

@ApiTags('retractions')
@Controller('v1/events')
export class RetractionsHttpController {
  constructor(private readonly commands: CommandGateway) {}

  @Post(':eventId/retractions')
  @Develops('RetractEvent')
  retract(@Param('eventId') id: string, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    return this.commands.run('RetractEvent', request, response, id);
  }
}
