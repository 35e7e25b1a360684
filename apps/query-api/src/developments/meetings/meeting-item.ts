// A meeting as the list and the detail both show it.
import type { NewestFirstRow } from '../shared/newest-first.js';

export type MeetingItem = {
  id: string;
  title: string;
  format: string | null;
  location: string | null;
  status: 'scheduled' | 'held' | 'cancelled';
  participants: string[];
  delegates: Array<{ name: string; party: string; role?: string }>;
  issues: string[];
  /** When the step that gave the meeting its status happened: held, cancelled, or the scheduling announced. */
  occurredAt: string;
  scheduledFor: string | null;
  outcome: string | null;
};

export type MeetingRow = NewestFirstRow & {
  id: string; title: string; format: string | null; location: string | null; status: MeetingItem['status']; participants: string[];
  delegates: MeetingItem['delegates']; issues: string[]; occurred_at: string; scheduled_for: string | null; outcome: string | null;
};

export const meetingColumns = (table: string) => ['id', 'title', 'format', 'location', 'status', 'participants', 'delegates', 'issues',
  'occurred_at', 'occurred_ts', 'global_position', 'scheduled_for', 'outcome'].map((column) => `${table}.${column}`).join(', ');

export function meetingItem(row: MeetingRow): MeetingItem {
  return {
    id: row.id,
    title: row.title,
    format: row.format,
    location: row.location,
    status: row.status,
    participants: row.participants,
    delegates: row.delegates,
    issues: row.issues,
    occurredAt: row.occurred_at,
    scheduledFor: row.scheduled_for,
    outcome: row.outcome,
  };
}
