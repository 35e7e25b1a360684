import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '#platform';
import { CommandGateway, Develops } from '../commands/command-gateway.js';

@ApiTags('meetings')
@Controller('v1/meetings')
export class MeetingsHttpController {
  constructor(private readonly commands: CommandGateway) {}

  @Post()
  @Develops('HoldMeeting')
  hold(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    return this.commands.run('HoldMeeting', request, response);
  }

  @Post('scheduled')
  @Develops('ScheduleMeeting')
  schedule(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    return this.commands.run('ScheduleMeeting', request, response);
  }

  @Post(':id/held')
  @Develops('RecordMeetingHeld')
  recordHeld(@Param('id') id: string, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    return this.commands.run('RecordMeetingHeld', request, response, id);
  }

  @Post(':id/cancellations')
  @Develops('CancelMeeting')
  cancel(@Param('id') id: string, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    return this.commands.run('CancelMeeting', request, response, id);
  }
}
