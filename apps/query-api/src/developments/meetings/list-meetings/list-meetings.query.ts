import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import pg from 'pg';
import { z } from 'zod';
import { idSchema } from '#domain';
import { PG_POOL } from '#platform';
import { limitSchema, type Page, pageOf, timeParam } from '../../../shared/list-query.js';
import { Conditions, positionOf } from '../../shared/newest-first.js';
import { type MeetingItem, type MeetingRow, meetingColumns, meetingItem } from '../meeting-item.js';

export const meetingsQuery = z.strictObject({
  party: idSchema.optional(),
  /** On the meeting's date: the day it was held, else the day it is (or was) planned for. */
  from: timeParam.optional(),
  to: timeParam.optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

export class ListMeetings extends Query<Page<MeetingItem>> {
  constructor(readonly filter: z.infer<typeof meetingsQuery>) {
    super();
  }
}

@QueryHandler(ListMeetings)
export class ListMeetingsHandler implements IQueryHandler<ListMeetings, Page<MeetingItem>> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ filter }: ListMeetings): Promise<Page<MeetingItem>> {
    const conditions = new Conditions();
    // With a party, page through its participations (which carry the sort key) rather than every meeting.
    const sorted = filter.party ? 'p' : 'm';
    if (filter.party) conditions.add(`p.party = ${conditions.param(filter.party)}`);
    if (filter.from) conditions.add(`${sorted}.meeting_ts >= ${conditions.param(filter.from)}`);
    if (filter.to) conditions.add(`${sorted}.meeting_ts <= ${conditions.param(filter.to)}`);
    conditions.after(filter.cursor, `${sorted}.occurred_ts`, `${sorted}.global_position`);
    const from = filter.party ? 'meeting_participants p JOIN meetings m ON m.id = p.meeting_id' : 'meetings m';
    const { rows } = await this.pool.query<MeetingRow>(
      `SELECT ${meetingColumns('m')} FROM ${from} ${conditions.where}
       ORDER BY ${sorted}.occurred_ts DESC, ${sorted}.global_position DESC LIMIT ${conditions.param(filter.limit + 1)}`, conditions.params);
    return pageOf(rows, filter.limit, meetingItem, positionOf);
  }
}
