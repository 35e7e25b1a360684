// The bench's corpus: the shared synthetic history (decided by the real deciders), turned back into
// the import lines that would have recorded it, and into journal-shaped rows.
import type { ChanceryEvent } from '#domain';
import { corpus, type CorpusBatch } from '../../libs/testing/src/corpus.js';

export type CorpusSize = { seed: number; parties: number; issues: number; commands: number; startDate: string };

/** One import line; a retraction's target is a server-made event id, looked up just before sending. */
export type ImportLine =
  | { kind: 'ready'; text: string; events: number }
  | { kind: 'retraction'; target: { streamId: string; version: number; corpusEventId: string }; reason: string };

export type BenchCorpus = {
  batches: CorpusBatch[];
  lines: ImportLine[];
  events: number;
  eventTypes: Record<string, number>;
};

type Data = Record<string, unknown>;

function provenance(event: ChanceryEvent): Data {
  return { occurredAt: event.occurredAt, sources: event.sources, ...(event.confidence ? { confidence: event.confidence } : {}) };
}

/** Drops what a command leaves out when it has nothing to say (empty lists, absent options). */
function present(fields: Data): Data {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0)));
}

/** The command line that, decided on the same state, records exactly this event. */
function lineOf(event: ChanceryEvent, firstOfStream: boolean): Data {
  const at = provenance(event);
  switch (event.type) {
    case 'PartyRegistered': {
      const { partyId, ...rest } = event.data;
      return { command: 'RegisterParty', ...present({ id: partyId, ...rest }) };
    }
    case 'IssueRegistered': {
      const { issueId, ...rest } = event.data;
      return { command: 'RegisterIssue', ...present({ id: issueId, ...rest }) };
    }
    case 'DemandIssued': {
      const { demandId, ...rest } = event.data;
      return { command: 'IssueDemand', ...present({ id: demandId, ...rest }), ...at };
    }
    case 'DemandRejected':
    case 'DemandAccepted': {
      const { demandId, by, reason, note } = event.data;
      return { command: event.type === 'DemandRejected' ? 'RejectDemand' : 'AcceptDemand', ...present({ demandId, by, reason, note }), ...at };
    }
    case 'DemandWithdrawn': {
      const { demandId, by, reason, note } = event.data;
      return { command: 'WithdrawDemand', ...present({ demandId, by, reason, note }), ...at };
    }
    case 'MeetingScheduled': {
      const { meetingId, ...rest } = event.data;
      return { command: 'ScheduleMeeting', ...present({ id: meetingId, ...rest }), ...at };
    }
    case 'MeetingHeld': {
      const { meetingId, title, format, location, participants, delegates, issues, outcome, note } = event.data;
      return firstOfStream
        ? { command: 'HoldMeeting', ...present({ id: meetingId, title, format, location, participants, delegates, issues, outcome, note }), ...at }
        : { command: 'RecordMeetingHeld', ...present({ meetingId, outcome, note }), ...at };
    }
    case 'MeetingCancelled': {
      const { meetingId, by, reason, note } = event.data;
      return { command: 'CancelMeeting', ...present({ meetingId, by, reason, note }), ...at };
    }
    case 'WarningGiven': {
      const { warningId, ...rest } = event.data;
      return { command: 'GiveWarning', ...present({ id: warningId, ...rest }), ...at };
    }
    case 'ProposalMade': {
      const { proposalId, ...rest } = event.data;
      return { command: 'MakeProposal', ...present({ id: proposalId, ...rest }), ...at };
    }
    case 'ProposalDeclined':
    case 'ProposalAccepted': {
      const { proposalId, by, reason, note } = event.data;
      return { command: event.type === 'ProposalDeclined' ? 'DeclineProposal' : 'AcceptProposal', ...present({ proposalId, by, reason, note }), ...at };
    }
    case 'PositionStated':
      return { command: 'StatePosition', ...present({ ...event.data }), ...at };
    case 'CodedDevelopmentRecorded': {
      const { developmentId, cameo, ...rest } = event.data;
      return { command: 'RecordCodedDevelopment', ...present({ id: developmentId, cameo: cameo.code, ...rest }), ...at };
    }
    case 'EventRetracted':
      throw new Error('a retraction names a server-made event id: see ImportLine');
  }
}

/** Yields to the event loop now and then, so a Ctrl-C during a long generation is handled at once. */
export async function generateCorpus(size: CorpusSize): Promise<BenchCorpus> {
  const batches: CorpusBatch[] = [];
  const lines: ImportLine[] = [];
  const versions = new Map<string, number>();
  const located = new Map<string, { streamId: string; version: number }>();
  const eventTypes: Record<string, number> = {};
  let events = 0;
  for (const batch of corpus(size)) {
    if (batches.length % 2_000 === 0) await new Promise((resolve) => setImmediate(resolve));
    batches.push(batch);
    const before = versions.get(batch.streamId) ?? 0;
    versions.set(batch.streamId, before + batch.events.length);
    batch.events.forEach((event, index) => {
      located.set(batch.eventIds[index]!, { streamId: batch.streamId, version: before + index + 1 });
      eventTypes[event.type] = (eventTypes[event.type] ?? 0) + 1;
    });
    events += batch.events.length;
    const first = batch.events[0]!;
    if (first.type === 'EventRetracted') {
      const corpusEventId = first.data.retractedEventId;
      lines.push({ kind: 'retraction', target: { ...located.get(corpusEventId)!, corpusEventId }, reason: first.data.reason });
    } else {
      lines.push({ kind: 'ready', text: JSON.stringify(lineOf(first, before === 0)), events: batch.events.length });
    }
  }
  return { batches, lines, events, eventTypes };
}
