import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import pg from 'pg';
import { idSchema } from '#domain';
import { PG_POOL, ProblemError } from '#platform';
import { type MeetingItem, type MeetingRow, meetingColumns, meetingItem } from '../meeting-item.js';

export class GetMeeting extends Query<MeetingItem> {
  constructor(readonly id: string) {
    super();
  }
}

@QueryHandler(GetMeeting)
export class GetMeetingHandler implements IQueryHandler<GetMeeting, MeetingItem> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ id }: GetMeeting): Promise<MeetingItem> {
    // No meeting has an id of another shape; such a path (a NUL byte, say) is not sent to the database.
    if (!idSchema.safeParse(id).success) throw ProblemError.of(404, 'not-found', `There is no meeting ${id}.`);
    const { rows } = await this.pool.query<MeetingRow>(`SELECT ${meetingColumns('m')} FROM meetings m WHERE m.id = $1`, [id]);
    // A meeting none of whose steps stands (its only scheduling retracted) has no row.
    if (!rows[0]) throw ProblemError.of(404, 'not-found', `There is no meeting ${id}.`);
    return meetingItem(rows[0]);
  }
}
