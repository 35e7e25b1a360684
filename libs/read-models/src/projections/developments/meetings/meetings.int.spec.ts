import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { development, type ProjectionHarness, startProjectionHarness } from '#testing';
import { meetingsProjection } from './meetings.projection.js';

const issues = ['ukraine-nato-membership'];
const delegates = [{ name: 'Wendy Sherman', party: 'USA', role: 'Deputy Secretary of State' }, { name: 'Sergei Ryabkov', party: 'RUS' }];

function details(meetingId: string, participants = ['USA', 'RUS']) {
  return { meetingId, title: `talks ${meetingId}`, format: 'bilateral talks', location: 'Geneva', participants, delegates, issues };
}

function scheduled(meetingId: string, scheduledFor: string, occurredAt = '2022-01-03') {
  return development('MeetingScheduled', occurredAt, { ...details(meetingId), scheduledFor });
}

function held(meetingId: string, occurredAt: string, outcome?: string) {
  return development('MeetingHeld', occurredAt, { ...details(meetingId), outcome, negotiation: true });
}

function cancelled(meetingId: string, occurredAt: string) {
  return development('MeetingCancelled', occurredAt, { meetingId, by: 'USA', reason: 'invasion', participants: ['USA', 'RUS'], issues });
}

function retraction(eventId: string, retractedEventType: 'MeetingScheduled' | 'MeetingHeld' | 'MeetingCancelled') {
  return development('EventRetracted', '2022-02-25T08:00:00Z', { retractedEventId: eventId, retractedEventType, retractedParties: ['USA', 'RUS'], reason: 'wrong report' });
}

describe('meetings projection', () => {
  let harness: ProjectionHarness;
  beforeAll(async () => {
    harness = await startProjectionHarness({ projections: [meetingsProjection] });
  });
  afterAll(() => harness.stop());

  async function meeting(id: string) {
    const { rows } = await harness.pool.query(
      `SELECT title, format, location, status, participants, delegates, issues, occurred_at, scheduled_for, meeting_ts, outcome
       FROM meetings WHERE id = $1`, [id]);
    return rows[0];
  }

  async function participantsOf(id: string) {
    const { rows } = await harness.pool.query('SELECT party FROM meeting_participants WHERE meeting_id = $1 ORDER BY party', [id]);
    return rows.map((row) => row.party);
  }

  it('a meeting held without scheduling: held on its own date, with outcome, delegates and participants', async () => {
    await harness.append('meeting-geneva', [held('geneva', '2022-01-10', 'no breakthrough')]);
    await harness.caughtUp();
    expect(await meeting('geneva')).toEqual({
      title: 'talks geneva', format: 'bilateral talks', location: 'Geneva', status: 'held', participants: ['USA', 'RUS'], delegates, issues,
      occurred_at: '2022-01-10', scheduled_for: null, meeting_ts: new Date('2022-01-10T00:00:00Z'), outcome: 'no breakthrough',
    });
    expect(await participantsOf('geneva')).toEqual(['RUS', 'USA']);
  });

  it('scheduled, then held: the status, the outcome and occurredAt follow the latest step; the date stays the planned one until held', async () => {
    await harness.append('meeting-nrc', [scheduled('nrc', '2022-01-12T09:00:00Z')]);
    await harness.caughtUp();
    expect(await meeting('nrc')).toMatchObject({
      status: 'scheduled', occurred_at: '2022-01-03', scheduled_for: '2022-01-12T09:00:00Z', meeting_ts: new Date('2022-01-12T09:00:00Z'), outcome: null,
    });

    await harness.append('meeting-nrc', [held('nrc', '2022-01-12T15:00:00Z', 'talks to continue')]);
    await harness.caughtUp();
    expect(await meeting('nrc')).toMatchObject({
      status: 'held', occurred_at: '2022-01-12T15:00:00Z', scheduled_for: '2022-01-12T09:00:00Z', meeting_ts: new Date('2022-01-12T15:00:00Z'), outcome: 'talks to continue',
    });
  });

  it('a retracted holding puts the meeting back to scheduled; a retracted cancellation too', async () => {
    const [, holding] = await harness.append('meeting-osce', [scheduled('osce', '2022-01-13'), held('osce', '2022-01-13', 'done')]);
    const [, cancellation] = await harness.append('meeting-summit', [scheduled('summit', '2022-02-28'), cancelled('summit', '2022-02-24')]);
    await harness.caughtUp();
    expect((await meeting('summit')).status).toBe('cancelled');
    expect((await meeting('summit')).occurred_at).toBe('2022-02-24');

    await harness.append('meeting-osce', [retraction(holding!.eventId, 'MeetingHeld')]);
    await harness.append('meeting-summit', [retraction(cancellation!.eventId, 'MeetingCancelled')]);
    await harness.caughtUp();
    expect(await meeting('osce')).toMatchObject({ status: 'scheduled', occurred_at: '2022-01-03', outcome: null, meeting_ts: new Date('2022-01-13') });
    expect(await meeting('summit')).toMatchObject({ status: 'scheduled', occurred_at: '2022-01-03', scheduled_for: '2022-02-28' });
  });

  it('a retracted scheduling removes a meeting that only was scheduled; a held one stays held without a planned date', async () => {
    const [only] = await harness.append('meeting-rumour', [scheduled('rumour', '2022-03-01')]);
    const [planned] = await harness.append('meeting-paris', [scheduled('paris', '2022-01-26'), held('paris', '2022-01-26', 'Normandy format resumes')]);
    await harness.caughtUp();
    await harness.append('meeting-rumour', [retraction(only!.eventId, 'MeetingScheduled')]);
    await harness.append('meeting-paris', [retraction(planned!.eventId, 'MeetingScheduled')]);
    await harness.caughtUp();

    expect(await meeting('rumour')).toBeUndefined();
    expect(await participantsOf('rumour')).toEqual([]);
    expect(await meeting('paris')).toMatchObject({ status: 'held', scheduled_for: null, occurred_at: '2022-01-26', outcome: 'Normandy format resumes' });
    expect(await participantsOf('paris')).toEqual(['RUS', 'USA']);
  });

  it('a holding retracted and recorded again in one batch shows the second holding', async () => {
    const [, first] = await harness.append('meeting-redo', [scheduled('redo', '2022-01-20'), held('redo', '2022-01-20', 'first report')]);
    await harness.append('meeting-redo', [retraction(first!.eventId, 'MeetingHeld'), held('redo', '2022-01-21', 'corrected report')]);
    await harness.caughtUp();
    expect(await meeting('redo')).toMatchObject({ status: 'held', occurred_at: '2022-01-21', outcome: 'corrected report' });
  });
});
