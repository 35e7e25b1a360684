import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem, RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery, ApiReadModels } from '../../shared/openapi.js';
import { GetMeeting } from './get-meeting/get-meeting.query.js';
import { ListMeetings, meetingsQuery } from './list-meetings/list-meetings.query.js';

@ApiTags('meetings')
@ApiReadModels()
@RequiresRole('reader')
@Controller('v1/meetings')
export class MeetingsHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** Meetings, the latest step first; `from`/`to` bound the meeting's date (held, else planned). */
  @Get()
  @ApiListQuery(meetingsQuery)
  @ApiOperation({ operationId: 'listMeetings', summary: 'List meetings, the latest step first' })
  @ApiOkResponse({ description: 'A page of meetings.' })
  list(@QueryParams(new ZodPipe(meetingsQuery, 'query')) filter: ReturnType<typeof meetingsQuery.parse>) {
    return this.queries.execute(new ListMeetings(filter));
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getMeeting', summary: 'Get a meeting' })
  @ApiOkResponse({ description: 'The meeting.' })
  @ApiProblem(404, 'No meeting has this id.')
  get(@Param('id') id: string) {
    return this.queries.execute(new GetMeeting(id));
  }
}
