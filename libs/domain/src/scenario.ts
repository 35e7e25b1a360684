// Given/when/then for deciders in unit tests: given a stream's events, when a command, then events or a rejection.
// No jest here, so a spec of any tier can use it and the build carries nothing of the test runner.
import { type ChanceryEvent, type ChanceryEventType, currentSchemaVersion, domainEventSchemas } from './events.js';
import { type EventRetracted } from './retractions/retraction.events.js';
import { type Decider, type DecisionContext } from './shared/decider.js';
import { type Source } from './shared/development.js';
import { type DomainEvent, type Recorded } from './shared/events.js';
import { type Rejection, isRejection } from './shared/rejection.js';

/** 12 January 2022, afternoon in Brussels: the NATO–Russia Council of the seed article. */
export const scenarioNow = new Date('2022-01-12T15:00:00.000Z');

export const reuters: Source = { url: 'https://www.reuters.com/world/europe/nato-russia-2022-01-12/', outlet: 'Reuters', via: 'IRNA' };

export const scenarioParties = ['RUS', 'USA', 'NATO', 'UKR', 'FRA', 'stoltenberg'] as const;
export const scenarioIssues = ['ukraine-nato-membership', 'nato-eastern-presence'] as const;

/** Everything the scenarios name exists, unless a test says otherwise. */
export function scenarioContext(overrides: Partial<DecisionContext> = {}): DecisionContext {
  return { now: scenarioNow, knownParties: new Set(scenarioParties), knownIssues: new Set(scenarioIssues), ...overrides };
}

/** Events as the journal would hand them back: ids `<stream>/<version>`, versions from 1. */
export function recorded<E extends DomainEvent<string, unknown>>(streamId: string, events: readonly E[], fromVersion = 1): Recorded<E>[] {
  return events.map((event, index) => ({
    ...event,
    eventId: `${streamId}/${fromVersion + index}`,
    streamId,
    streamVersion: fromVersion + index,
    recordedAt: scenarioNow.toISOString(),
  }));
}

export function given<Command, State, Event extends DomainEvent<string, unknown>>(
  decider: Decider<Command, State, Event>,
  streamId: string,
  ...history: Event[]
) {
  const state = recorded(streamId, history).reduce((folded, event) => decider.evolve(folded, event), decider.initialState());
  return {
    state,
    /** The decision; any event it produces must also satisfy the published schema of its type. */
    when(command: Command, context: DecisionContext = scenarioContext()): Event[] | Rejection {
      const decision = decider.decide(command, state, context);
      if (!isRejection(decision)) decision.forEach(assertPublishable);
      return decision;
    },
  };
}

export function assertPublishable(event: DomainEvent<string, unknown>): void {
  const schema = domainEventSchemas[event.type as keyof typeof domainEventSchemas];
  if (!schema) throw new Error(`no schema for event type ${event.type}`);
  const parsed = schema.safeParse(JSON.parse(JSON.stringify(event)));
  if (!parsed.success) throw new Error(`${event.type} does not match its schema: ${JSON.stringify(parsed.error.issues)}`);
}

/** The EventRetracted a retraction appends, for tests of how each aggregate undoes the retracted event. */
export function retraction(retractedEventId: string, retractedEventType: ChanceryEventType, retractedParties: string[]): EventRetracted {
  return {
    type: 'EventRetracted',
    schemaVersion: 1,
    occurredAt: scenarioNow.toISOString(),
    sources: [],
    data: { retractedEventId, retractedEventType, retractedParties, reason: 'the report was misattributed' },
  };
}

const developmentEnvelope = { schemaVersion: 1, occurredAt: '2022-01-12', sources: [reuters] };
const bookkeepingEnvelope = { schemaVersion: 1, occurredAt: '2022-01-12T15:00:00.000Z', sources: [] };
const demandFacts = { demandId: 'd1', issuer: 'RUS', addressedTo: ['USA', 'NATO'], issue: 'ukraine-nato-membership' };
const meetingFacts = {
  meetingId: 'm1',
  title: 'Geneva talks',
  participants: ['USA', 'RUS', 'NATO'],
  delegates: [],
  issues: ['nato-eastern-presence'],
};
const proposalFacts = { proposalId: 'p1', proposer: 'NATO', to: ['RUS', 'USA'], issue: 'nato-eastern-presence' };

/** One event of every type, the way deciders write them. */
export const exampleEvents: Record<ChanceryEventType, ChanceryEvent> = {
  PartyRegistered: { type: 'PartyRegistered', ...bookkeepingEnvelope, data: { partyId: 'FRA', name: 'France', kind: 'state', memberOf: ['NATO'] } },
  IssueRegistered: { type: 'IssueRegistered', ...bookkeepingEnvelope, data: { issueId: 'missiles', title: 'Missiles in Europe' } },
  DemandIssued: {
    type: 'DemandIssued',
    ...developmentEnvelope,
    data: { demandId: 'd1', by: 'RUS', addressedTo: ['USA', 'NATO'], issue: 'ukraine-nato-membership', summary: 'Guarantees', terms: [] },
  },
  DemandRejected: { type: 'DemandRejected', ...developmentEnvelope, schemaVersion: currentSchemaVersion.DemandRejected, data: { ...demandFacts, by: 'NATO' } },
  DemandAccepted: {
    type: 'DemandAccepted',
    ...developmentEnvelope,
    schemaVersion: currentSchemaVersion.DemandAccepted,
    data: { ...demandFacts, by: 'USA', supersedes: { eventId: 'demand-d1/3', answer: 'rejected' } },
  },
  DemandWithdrawn: { type: 'DemandWithdrawn', ...developmentEnvelope, data: { demandId: 'd1', by: 'RUS', addressedTo: ['USA', 'NATO'], issue: 'ukraine-nato-membership' } },
  MeetingScheduled: { type: 'MeetingScheduled', ...developmentEnvelope, data: { ...meetingFacts, scheduledFor: '2022-01-10' } },
  MeetingHeld: { type: 'MeetingHeld', ...developmentEnvelope, data: { ...meetingFacts, negotiation: false } },
  MeetingCancelled: { type: 'MeetingCancelled', ...developmentEnvelope, data: { meetingId: 'm1', by: 'RUS', participants: meetingFacts.participants, issues: meetingFacts.issues } },
  WarningGiven: {
    type: 'WarningGiven',
    ...developmentEnvelope,
    schemaVersion: currentSchemaVersion.WarningGiven,
    data: { warningId: 'w1', by: 'NATO', to: ['RUS', 'USA'], consequence: 'Sanctions', severity: 'medium', kind: 'economic' },
  },
  ProposalMade: { type: 'ProposalMade', ...developmentEnvelope, data: { proposalId: 'p1', by: 'NATO', to: ['RUS', 'USA'], issue: 'nato-eastern-presence', summary: 'Talks' } },
  ProposalDeclined: { type: 'ProposalDeclined', ...developmentEnvelope, schemaVersion: currentSchemaVersion.ProposalDeclined, data: { ...proposalFacts, by: 'RUS' } },
  ProposalAccepted: { type: 'ProposalAccepted', ...developmentEnvelope, schemaVersion: currentSchemaVersion.ProposalAccepted, data: { ...proposalFacts, by: 'USA' } },
  PositionStated: { type: 'PositionStated', ...developmentEnvelope, data: { by: 'FRA', issue: 'ukraine-nato-membership', stance: 'open-to-discuss', summary: 'Open' } },
  CodedDevelopmentRecorded: {
    type: 'CodedDevelopmentRecorded',
    ...developmentEnvelope,
    data: {
      developmentId: 'x1', by: 'USA', to: ['RUS'], cameo: { code: '1312', root: '13', quadClass: 3, goldstein: -5.8 },
      issue: 'ukraine-nato-membership', summary: 'Threatens sanctions',
    },
  },
  EventRetracted: {
    type: 'EventRetracted',
    ...bookkeepingEnvelope,
    data: { retractedEventId: 'demand-d1/2', retractedEventType: 'DemandRejected', retractedParties: ['NATO', 'RUS'], reason: 'misquoted' },
  },
};
