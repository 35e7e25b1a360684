import { describe, expect, it } from '@jest/globals';
import { type ChanceryCommand, type ChanceryCommandType, chanceryCommandTypes, referenceFieldsOf, referencesOf, streamIdOf } from './commands.js';
import { decideCommand, deciderFor, deciderForStream, stateFrom } from './decide-command.js';
import { type ChanceryEvent, type ChanceryEventType } from './events.js';
import { assertPublishable, recorded, reuters, scenarioContext } from './scenario.js';
import { type Recorded } from './shared/events.js';
import { isRejection } from './shared/rejection.js';

const provenance = { occurredAt: '2022-01-12', sources: [reuters] };

/** A valid command of every type, what it decides, and the command that creates the stream it acts on. */
const examples: Record<ChanceryCommandType, { command: ChanceryCommand; produces: ChanceryEventType; after?: ChanceryCommand }> = {
  RegisterParty: {
    command: { type: 'RegisterParty', data: { id: 'stoltenberg', name: 'Jens Stoltenberg', kind: 'person', represents: 'NATO', memberOf: ['UKR'] } },
    produces: 'PartyRegistered',
  },
  RegisterIssue: { command: { type: 'RegisterIssue', data: { id: 'missiles-in-europe', title: 'Missiles in Europe' } }, produces: 'IssueRegistered' },
  StatePosition: {
    command: { type: 'StatePosition', data: { by: 'NATO', issue: 'ukraine-nato-membership', stance: 'opposes', summary: 'No veto', ...provenance } },
    produces: 'PositionStated',
    after: { type: 'RegisterParty', data: { id: 'NATO', name: 'NATO', kind: 'organization' } },
  },
  IssueDemand: {
    command: {
      type: 'IssueDemand',
      data: { demandId: 'd1', by: 'RUS', addressedTo: ['USA', 'NATO'], issue: 'ukraine-nato-membership', summary: 'Guarantees', ...provenance },
    },
    produces: 'DemandIssued',
  },
  RejectDemand: { command: { type: 'RejectDemand', data: { demandId: 'd1', by: 'NATO', ...provenance } }, produces: 'DemandRejected' },
  AcceptDemand: { command: { type: 'AcceptDemand', data: { demandId: 'd1', by: 'USA', ...provenance } }, produces: 'DemandAccepted' },
  WithdrawDemand: { command: { type: 'WithdrawDemand', data: { demandId: 'd1', by: 'RUS', ...provenance } }, produces: 'DemandWithdrawn' },
  HoldMeeting: {
    command: {
      type: 'HoldMeeting',
      data: {
        meetingId: 'm1',
        title: 'NATO-Russia Council',
        participants: ['NATO', 'RUS'],
        delegates: [{ name: 'Wendy Sherman', party: 'USA' }],
        issues: ['ukraine-nato-membership'],
        ...provenance,
      },
    },
    produces: 'MeetingHeld',
  },
  ScheduleMeeting: {
    command: {
      type: 'ScheduleMeeting',
      data: { meetingId: 'm1', title: 'Strategic stability dialogue', participants: ['USA', 'RUS'], issues: ['nato-eastern-presence'], scheduledFor: '2022-01-10', ...provenance },
    },
    produces: 'MeetingScheduled',
  },
  RecordMeetingHeld: { command: { type: 'RecordMeetingHeld', data: { meetingId: 'm1', ...provenance } }, produces: 'MeetingHeld' },
  CancelMeeting: { command: { type: 'CancelMeeting', data: { meetingId: 'm1', by: 'RUS', ...provenance } }, produces: 'MeetingCancelled' },
  GiveWarning: {
    command: {
      type: 'GiveWarning',
      data: { warningId: 'w1', by: 'NATO', to: ['RUS'], issue: 'nato-eastern-presence', consequence: 'More troops in the east', severity: 'high', ...provenance },
    },
    produces: 'WarningGiven',
  },
  MakeProposal: {
    command: { type: 'MakeProposal', data: { proposalId: 'p1', by: 'NATO', to: ['RUS'], issue: 'nato-eastern-presence', summary: 'Missile talks', ...provenance } },
    produces: 'ProposalMade',
  },
  DeclineProposal: { command: { type: 'DeclineProposal', data: { proposalId: 'p1', by: 'RUS', ...provenance } }, produces: 'ProposalDeclined' },
  AcceptProposal: { command: { type: 'AcceptProposal', data: { proposalId: 'p1', by: 'RUS', ...provenance } }, produces: 'ProposalAccepted' },
  RecordCodedDevelopment: {
    command: {
      type: 'RecordCodedDevelopment',
      data: { developmentId: 'x1', by: 'USA', to: ['RUS'], cameo: '163', issue: 'ukraine-nato-membership', summary: 'Export controls', ...provenance },
    },
    produces: 'CodedDevelopmentRecorded',
  },
  RetractEvent: { command: { type: 'RetractEvent', data: { eventId: 'demand-d1/1', reason: 'misquoted' } }, produces: 'EventRetracted' },
};

const creators: Partial<Record<ChanceryCommandType, ChanceryCommandType>> = {
  RejectDemand: 'IssueDemand',
  AcceptDemand: 'IssueDemand',
  WithdrawDemand: 'IssueDemand',
  RecordMeetingHeld: 'ScheduleMeeting',
  CancelMeeting: 'ScheduleMeeting',
  DeclineProposal: 'MakeProposal',
  AcceptProposal: 'MakeProposal',
  RetractEvent: 'IssueDemand',
};

/** The stream the example acts on, as the journal would return it. */
function historyOf(type: ChanceryCommandType): Recorded<ChanceryEvent>[] {
  const creator = examples[type].after ?? (creators[type] ? examples[creators[type]].command : undefined);
  if (!creator) return [];
  const created = decideCommand(creator, [], scenarioContext());
  if (isRejection(created)) throw new Error(`the example ${creator.type} was rejected: ${created.message}`);
  return recorded(streamIdOf(creator), created);
}

const withData = (command: ChanceryCommand, data: Record<string, unknown>) => ({ ...command, data: { ...command.data, ...data } }) as ChanceryCommand;

describe('decideCommand', () => {
  it('has an example of every command', () => {
    expect(Object.keys(examples).sort()).toEqual([...chanceryCommandTypes].sort());
  });

  it.each(chanceryCommandTypes)('decides %s on its stream into a publishable event', (type) => {
    const decision = decideCommand(examples[type].command, historyOf(type), scenarioContext());
    expect(decision).toEqual([expect.objectContaining({ type: examples[type].produces })]);
    (decision as ChanceryEvent[]).forEach(assertPublishable);
  });

  const developments = chanceryCommandTypes.filter((type) => 'occurredAt' in examples[type].command.data);

  it('treats every command but registrations and retractions as a development', () => {
    expect(chanceryCommandTypes.filter((type) => !developments.includes(type)).sort()).toEqual(['RegisterIssue', 'RegisterParty', 'RetractEvent']);
  });

  it.each(developments)('refuses %s dated tomorrow', (type) => {
    const decision = decideCommand(withData(examples[type].command, { occurredAt: '2022-01-13' }), historyOf(type), scenarioContext());
    expect(decision).toMatchObject({ rejection: 'OCCURRED_IN_FUTURE', path: 'occurredAt' });
  });

  // Every reference the handler is told to look up is checked, under the path of the first field naming it.
  const references = chanceryCommandTypes.flatMap((type) =>
    referenceFieldsOf(examples[type].command)
      .filter((reference, index, all) => all.findIndex((other) => other.kind === reference.kind && other.id === reference.id) === index)
      .map((reference) => [type, reference.kind, reference.id, reference.path] as const),
  );

  it.each(references)('refuses %s naming an unknown %s %s at %s', (type, kind, id, path) => {
    const known = scenarioContext();
    const context =
      kind === 'party'
        ? { ...known, knownParties: new Set([...known.knownParties].filter((party) => party !== id)) }
        : { ...known, knownIssues: new Set([...known.knownIssues].filter((issue) => issue !== id)) };
    expect(decideCommand(examples[type].command, historyOf(type), context)).toEqual({
      rejection: kind === 'party' ? 'UNKNOWN_PARTY' : 'UNKNOWN_ISSUE',
      message: expect.any(String),
      path,
    });
  });

  it('asks the handler to look up each referenced party and issue once', () => {
    expect(referencesOf(examples.HoldMeeting.command)).toEqual({ parties: ['NATO', 'RUS', 'USA'], issues: ['ukraine-nato-membership'] });
    expect(referencesOf(examples.RegisterParty.command)).toEqual({ parties: ['UKR', 'NATO'], issues: [] });
    expect(referencesOf(examples.RecordMeetingHeld.command)).toEqual({ parties: [], issues: [] });
  });

  describe('refuses data that does not fit the command, with the path of the first problem', () => {
    it.each([
      ['an unknown field', withData(examples.IssueDemand.command, { deadline: '2022-02-01' }), 'deadline'],
      ['no source', withData(examples.IssueDemand.command, { sources: [] }), 'sources'],
      ['a source with neither url nor citation', withData(examples.IssueDemand.command, { sources: [{ outlet: 'IRNA' }] }), 'sources[0]'],
      ['a source url that is not http', withData(examples.IssueDemand.command, { sources: [{ url: 'javascript:alert(1)' }] }), 'sources[0].url'],
      ['a local timestamp', withData(examples.IssueDemand.command, { occurredAt: '2022-01-12T10:00:00' }), 'occurredAt'],
      ['an impossible date', withData(examples.IssueDemand.command, { occurredAt: '2022-02-30' }), 'occurredAt'],
      ['no addressee', withData(examples.IssueDemand.command, { addressedTo: [] }), 'addressedTo'],
      ['an id unfit for a URL', withData(examples.IssueDemand.command, { demandId: 'a/b' }), 'demandId'],
      ['an unknown stance', withData(examples.StatePosition.command, { stance: 'furious' }), 'stance'],
      ['a CAMEO code the codebook lacks', withData(examples.RecordCodedDevelopment.command, { cameo: '099' }), 'cameo'],
      ['a CAMEO root rather than a code', withData(examples.RecordCodedDevelopment.command, { cameo: '16' }), 'cameo'],
      ['an unknown command', { type: 'LaunchMissiles', data: {} } as unknown as ChanceryCommand, 'type'],
    ])('%s', (_case, command, path) => {
      expect(decideCommand(command, [], scenarioContext())).toMatchObject({ rejection: 'INVALID_COMMAND', path });
    });
  });
});

describe('deciderForStream', () => {
  it('gives the decider of the command on its own stream, which decides as decideCommand does', () => {
    const decider = deciderForStream('demand-d1', examples.RejectDemand.command);
    const decision = decider.decide(examples.RejectDemand.command, stateFrom(decider, historyOf('RejectDemand')), scenarioContext());
    expect(decision).toEqual(decideCommand(examples.RejectDemand.command, historyOf('RejectDemand'), scenarioContext()));
  });

  it('gives the retraction decider on whatever stream holds the event', () => {
    expect(deciderForStream('meeting-m1', examples.RetractEvent.command)).toBe(deciderFor(examples.RetractEvent.command));
  });

  it('refuses to decide a command on a stream it does not belong to', () => {
    expect(() => deciderForStream('demand-d2', examples.RejectDemand.command)).toThrow(/demand-d1/);
  });

  it("answers a command of another aggregate with INVALID_COMMAND, and ignores another aggregate's events", () => {
    const partyDecider = deciderFor(examples.RegisterParty.command);
    const state = stateFrom(partyDecider, historyOf('RejectDemand'));
    expect(state).toEqual(partyDecider.initialState());
    expect(partyDecider.decide(examples.IssueDemand.command, state, scenarioContext())).toMatchObject({ rejection: 'INVALID_COMMAND' });
  });
});

describe('streamIdOf', () => {
  it.each([
    ['RegisterParty', 'party-stoltenberg'],
    ['StatePosition', 'party-NATO'],
    ['RegisterIssue', 'issue-missiles-in-europe'],
    ['RejectDemand', 'demand-d1'],
    ['CancelMeeting', 'meeting-m1'],
    ['GiveWarning', 'warning-w1'],
    ['AcceptProposal', 'proposal-p1'],
    ['RecordCodedDevelopment', 'development-x1'],
  ] as const)('puts a %s in %s', (type, streamId) => {
    expect(streamIdOf(examples[type].command)).toBe(streamId);
  });

  it('leaves the stream of a retraction to the journal, which knows where the event is', () => {
    expect(() => streamIdOf(examples.RetractEvent.command)).toThrow(/event/);
  });
});
