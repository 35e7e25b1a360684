import { describe, expect, it } from '@jest/globals';
import { given, retraction, reuters, scenarioContext } from '../scenario.js';
import { type CancelMeeting, type HoldMeeting, type RecordMeetingHeld, type ScheduleMeeting } from './meeting.commands.js';
import { meetingDecider } from './meeting.decider.js';
import { type MeetingCancelled, type MeetingHeld, type MeetingScheduled } from './meeting.events.js';

const stream = 'meeting-nrc-2022-01-12';
const provenance = { occurredAt: '2022-01-12', sources: [reuters] };
const council = {
  meetingId: 'nrc-2022-01-12',
  title: 'NATO-Russia Council',
  format: 'NATO-Russia Council',
  location: 'NATO Headquarters, Brussels',
  participants: ['NATO', 'RUS'],
  delegates: [
    { name: 'Alexander Grushko', party: 'RUS', role: 'Deputy Foreign Minister' },
    { name: 'Jens Stoltenberg', party: 'NATO', role: 'Secretary General' },
  ],
  issues: ['ukraine-nato-membership'],
};

const hold = (data: Partial<HoldMeeting['data']> = {}): HoldMeeting => ({
  type: 'HoldMeeting',
  data: { ...council, outcome: 'open and transparent talks; no agreement', ...provenance, ...data },
});
const schedule = (data: Partial<ScheduleMeeting['data']> = {}): ScheduleMeeting => ({
  type: 'ScheduleMeeting',
  data: { ...council, scheduledFor: '2022-01-12T09:00:00Z', ...provenance, occurredAt: '2022-01-03', ...data },
});
const recordHeld = (data: Partial<RecordMeetingHeld['data']> = {}): RecordMeetingHeld => ({
  type: 'RecordMeetingHeld',
  data: { meetingId: 'nrc-2022-01-12', outcome: 'no agreement', ...provenance, ...data },
});
const cancel = (data: Partial<CancelMeeting['data']> = {}): CancelMeeting => ({
  type: 'CancelMeeting',
  data: { meetingId: 'nrc-2022-01-12', by: 'RUS', reason: 'no progress on guarantees', ...provenance, ...data },
});

const scheduled: MeetingScheduled = {
  type: 'MeetingScheduled',
  schemaVersion: 1,
  ...provenance,
  occurredAt: '2022-01-03',
  data: { ...council, scheduledFor: '2022-01-12T09:00:00Z' },
};
const heldAfterScheduling: MeetingHeld = {
  type: 'MeetingHeld',
  schemaVersion: 1,
  ...provenance,
  data: { ...council, outcome: 'no agreement', negotiation: false },
};
const cancelled: MeetingCancelled = {
  type: 'MeetingCancelled',
  schemaVersion: 1,
  ...provenance,
  data: { meetingId: 'nrc-2022-01-12', by: 'RUS', reason: 'no progress on guarantees', participants: ['NATO', 'RUS'], issues: ['ukraine-nato-membership'] },
};

describe('meeting decider', () => {
  describe('HoldMeeting', () => {
    it('records a meeting held with no scheduling before it', () => {
      expect(given(meetingDecider, stream).when(hold())).toEqual([
        { type: 'MeetingHeld', schemaVersion: 1, ...provenance, data: { ...council, outcome: 'open and transparent talks; no agreement', negotiation: false } },
      ]);
    });

    it.each([
      ['talks', true],
      ['Negotiations', true],
      ['summit', false],
      [undefined, false],
    ])('takes format %p to be a negotiation: %p', (format, negotiation) => {
      const [event] = given(meetingDecider, stream).when(hold({ format })) as MeetingHeld[];
      expect(event?.data.negotiation).toBe(negotiation);
    });

    it('lets the command say it was a negotiation whatever the format', () => {
      const [event] = given(meetingDecider, stream).when(hold({ format: 'talks', negotiation: false })) as MeetingHeld[];
      expect(event?.data.negotiation).toBe(false);
    });

    it('records absent delegates and issues as none', () => {
      const [event] = given(meetingDecider, stream).when(hold({ delegates: undefined, issues: undefined })) as MeetingHeld[];
      expect(event?.data).toMatchObject({ delegates: [], issues: [] });
    });

    it('refuses a meeting of fewer than two participants', () => {
      expect(given(meetingDecider, stream).when(hold({ participants: ['NATO'] }))).toMatchObject({ rejection: 'TOO_FEW_PARTICIPANTS' });
    });

    it('refuses a participant named twice', () => {
      expect(given(meetingDecider, stream).when(hold({ participants: ['NATO', 'NATO'] }))).toMatchObject({
        rejection: 'DUPLICATE_REFERENCE',
        path: 'participants[1]',
      });
    });

    it('refuses an id that is taken', () => {
      expect(given(meetingDecider, stream, scheduled).when(hold())).toMatchObject({ rejection: 'ALREADY_EXISTS' });
    });

    it('refuses an unregistered participant', () => {
      const context = scenarioContext({ knownParties: new Set(['NATO']) });
      expect(given(meetingDecider, stream).when(hold({ participants: ['NATO', 'USA'], delegates: [] }), context)).toMatchObject({
        rejection: 'UNKNOWN_PARTY',
        path: 'participants[1]',
      });
    });

    it("refuses a delegate of an unregistered party, naming the delegate's field", () => {
      const context = scenarioContext({ knownParties: new Set(['NATO', 'RUS']) });
      expect(given(meetingDecider, stream).when(hold({ delegates: [{ name: 'Wendy Sherman', party: 'USA' }] }), context)).toMatchObject({
        rejection: 'UNKNOWN_PARTY',
        path: 'delegates[0].party',
      });
    });

    it('refuses an unregistered issue', () => {
      expect(given(meetingDecider, stream).when(hold(), scenarioContext({ knownIssues: new Set() }))).toMatchObject({
        rejection: 'UNKNOWN_ISSUE',
        path: 'issues[0]',
      });
    });

    it('refuses a meeting dated in the future', () => {
      expect(given(meetingDecider, stream).when(hold({ occurredAt: '2022-01-13' }))).toMatchObject({ rejection: 'OCCURRED_IN_FUTURE' });
    });
  });

  describe('ScheduleMeeting', () => {
    it('schedules a meeting for a later date', () => {
      expect(given(meetingDecider, stream).when(schedule({ scheduledFor: '2022-06-01' }))).toEqual([
        { ...scheduled, data: { ...scheduled.data, scheduledFor: '2022-06-01' } },
      ]);
    });

    it('refuses an id that is taken', () => {
      expect(given(meetingDecider, stream, heldAfterScheduling).when(schedule())).toMatchObject({ rejection: 'ALREADY_EXISTS' });
    });

    it('refuses a meeting of fewer than two participants', () => {
      expect(given(meetingDecider, stream).when(schedule({ participants: [] }))).toMatchObject({ rejection: 'TOO_FEW_PARTICIPANTS' });
    });
  });

  describe('RecordMeetingHeld', () => {
    it('records a scheduled meeting as held, repeating what it is', () => {
      expect(given(meetingDecider, stream, scheduled).when(recordHeld())).toEqual([heldAfterScheduling]);
    });

    it('takes a scheduled meeting whose format says talks to be a negotiation', () => {
      const talks = { ...scheduled, data: { ...scheduled.data, format: 'talks' } };
      const [event] = given(meetingDecider, stream, talks).when(recordHeld()) as MeetingHeld[];
      expect(event?.data.negotiation).toBe(true);
    });

    it('refuses a meeting that does not exist', () => {
      expect(given(meetingDecider, stream).when(recordHeld())).toMatchObject({ rejection: 'NOT_FOUND' });
    });

    it('refuses a meeting already held', () => {
      expect(given(meetingDecider, stream, scheduled, heldAfterScheduling).when(recordHeld())).toMatchObject({ rejection: 'MEETING_ALREADY_HELD' });
    });

    it('refuses a cancelled meeting', () => {
      expect(given(meetingDecider, stream, scheduled, cancelled).when(recordHeld())).toMatchObject({ rejection: 'MEETING_CANCELLED' });
    });

    it('holds a meeting whose cancellation was retracted', () => {
      const scenario = given(meetingDecider, stream, scheduled, cancelled, retraction(`${stream}/2`, 'MeetingCancelled', ['RUS', 'NATO']));
      expect(scenario.when(recordHeld())).toEqual([heldAfterScheduling]);
    });

    it('holds again a scheduled meeting whose holding was retracted', () => {
      const scenario = given(meetingDecider, stream, scheduled, heldAfterScheduling, retraction(`${stream}/2`, 'MeetingHeld', ['NATO', 'RUS']));
      expect(scenario.when(recordHeld())).toEqual([heldAfterScheduling]);
    });

    it('refuses a meeting whose scheduling was retracted', () => {
      const scenario = given(meetingDecider, stream, scheduled, retraction(`${stream}/1`, 'MeetingScheduled', ['NATO', 'RUS']));
      expect(scenario.when(recordHeld())).toMatchObject({ rejection: 'NOT_FOUND' });
    });
  });

  describe('CancelMeeting', () => {
    it('records the cancellation with the participants and issues', () => {
      expect(given(meetingDecider, stream, scheduled).when(cancel())).toEqual([cancelled]);
    });

    it('refuses to cancel a meeting twice', () => {
      expect(given(meetingDecider, stream, scheduled, cancelled).when(cancel())).toMatchObject({ rejection: 'MEETING_CANCELLED' });
    });

    it('refuses to cancel a meeting already held', () => {
      expect(given(meetingDecider, stream, scheduled, heldAfterScheduling).when(cancel())).toMatchObject({ rejection: 'MEETING_ALREADY_HELD' });
    });

    it('refuses to cancel a meeting that does not exist', () => {
      expect(given(meetingDecider, stream).when(cancel())).toMatchObject({ rejection: 'NOT_FOUND' });
    });

    it('refuses a cancellation by an unregistered party', () => {
      expect(given(meetingDecider, stream, scheduled).when(cancel({ by: 'OSCE' }))).toMatchObject({ rejection: 'UNKNOWN_PARTY', path: 'by' });
    });
  });
});
