// One line of text per development, for the timeline and the live stream.
import type { ChanceryEvent } from '#domain';

export function summaryOf(event: ChanceryEvent): string {
  switch (event.type) {
    case 'PartyRegistered':
      return `${event.data.name} registered`;
    case 'IssueRegistered':
      return `issue registered: ${event.data.title}`;
    case 'DemandIssued':
      return event.data.summary;
    case 'DemandRejected':
      return `${event.data.by} rejected ${event.data.issuer}'s demand${reversing(event.data.supersedes)}${because(event.data.reason)}`;
    case 'DemandAccepted':
      return `${event.data.by} accepted ${event.data.issuer}'s demand${reversing(event.data.supersedes)}${because(event.data.reason)}`;
    case 'DemandWithdrawn':
      return `${event.data.by} withdrew its demand${event.data.reason ? `: ${event.data.reason}` : ''}`;
    case 'MeetingScheduled':
      return `scheduled: ${event.data.title}`;
    case 'MeetingHeld':
      return event.data.outcome ? `${event.data.title}: ${event.data.outcome}` : event.data.title;
    case 'MeetingCancelled':
      return `${event.data.by} cancelled the meeting${event.data.reason ? `: ${event.data.reason}` : ''}`;
    case 'WarningGiven':
      if (!event.data.condition) return event.data.consequence;
      // Analysts write the condition with or without its "if".
      return `${/^if\b/i.test(event.data.condition) ? event.data.condition : `if ${event.data.condition}`}: ${event.data.consequence}`;
    case 'ProposalMade':
      return event.data.summary;
    case 'ProposalDeclined':
      return `${event.data.by} declined ${event.data.proposer}'s proposal${reversing(event.data.supersedes)}${because(event.data.reason)}`;
    case 'ProposalAccepted':
      return `${event.data.by} accepted ${event.data.proposer}'s proposal${reversing(event.data.supersedes)}${because(event.data.reason)}`;
    case 'PositionStated':
      return `${event.data.by} ${event.data.stance}: ${event.data.summary}`;
    case 'CodedDevelopmentRecorded':
      return event.data.summary;
    case 'EventRetracted':
      return `retracted ${event.data.retractedEventType}: ${event.data.reason}`;
    default: {
      const _exhaustive: never = event;
      return '';
    }
  }
}

const because = (reason: string | undefined) => (reason ? `: ${reason}` : '');

/** A changed answer says what it turned from (an answer recorded before answers could change says nothing). */
const reversing = (supersedes: { answer: string } | undefined) => (supersedes ? `, reversing its ${answerNouns[supersedes.answer]}` : '');
const answerNouns: Record<string, string> = { rejected: 'rejection', accepted: 'acceptance', declined: 'decline' };

/** The issue a development is about, if it names one (a meeting: its first issue). */
export function issueOf(event: ChanceryEvent): string | null {
  const data = event.data as { issue?: string; issues?: string[] };
  return data.issue ?? data.issues?.[0] ?? null;
}
