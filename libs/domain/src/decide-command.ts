// The one call a command handler makes once it has loaded the command's stream and looked up its references.
import { type z } from 'zod';
import { type ChanceryCommand, commandDataSchemas, streamIdOf } from './commands.js';
import { codedDevelopmentDecider } from './coded-developments/coded-development.decider.js';
import { demandDecider } from './demands/demand.decider.js';
import { type ChanceryEvent } from './events.js';
import { issueDecider } from './issues/issue.decider.js';
import { meetingDecider } from './meetings/meeting.decider.js';
import { partyDecider } from './parties/party.decider.js';
import { proposalDecider } from './proposals/proposal.decider.js';
import { retractionDecider } from './retractions/retraction.decider.js';
import { type DecisionContext, type Decider } from './shared/decider.js';
import { type Recorded } from './shared/events.js';
import { type Rejection, reject } from './shared/rejection.js';
import { warningDecider } from './warnings/warning.decider.js';

/** A decider over the whole union, for a handler that folds and decides generically. */
export type ChanceryDecider = Decider<ChanceryCommand, unknown, ChanceryEvent>;

/**
 * Checks the command's data against its schema, folds `history` (the events of `streamIdOf(command)`,
 * or for a RetractEvent those of the stream holding the named event; empty for a new stream) and decides.
 */
export function decideCommand(
  command: ChanceryCommand,
  history: readonly Recorded<ChanceryEvent>[],
  context: DecisionContext,
): ChanceryEvent[] | Rejection {
  const malformed = malformedData(command);
  if (malformed) return malformed;
  const decider = deciderFor(command);
  return decider.decide(command, stateFrom(decider, history), context);
}

/** The decider of the command's aggregate; a RetractEvent gets the retraction decider, whatever the stream. */
export function deciderFor(command: ChanceryCommand): ChanceryDecider {
  switch (command.type) {
    case 'RegisterParty':
    case 'StatePosition':
      return general(partyDecider);
    case 'RegisterIssue':
      return general(issueDecider);
    case 'IssueDemand':
    case 'RejectDemand':
    case 'AcceptDemand':
    case 'WithdrawDemand':
      return general(demandDecider);
    case 'HoldMeeting':
    case 'ScheduleMeeting':
    case 'RecordMeetingHeld':
    case 'CancelMeeting':
      return general(meetingDecider);
    case 'GiveWarning':
      return general(warningDecider);
    case 'MakeProposal':
    case 'DeclineProposal':
    case 'AcceptProposal':
      return general(proposalDecider);
    case 'RecordCodedDevelopment':
      return general(codedDevelopmentDecider);
    case 'RetractEvent':
      return general(retractionDecider);
    default: {
      const _exhaustive: never = command;
      throw new Error(`no decider for ${(_exhaustive as { type: string }).type}`);
    }
  }
}

/**
 * `deciderFor`, after checking the handler loaded the stream the command belongs to. A mismatch is a
 * bug in the handler, not a business failure, so it throws.
 */
export function deciderForStream(streamId: string, command: ChanceryCommand): ChanceryDecider {
  if (command.type !== 'RetractEvent' && streamIdOf(command) !== streamId) {
    throw new Error(`${command.type} belongs on ${streamIdOf(command)}, not on ${streamId}`);
  }
  return deciderFor(command);
}

/** Folds a stream's history into a decider's state. */
export function stateFrom<Command, State, Event>(decider: Decider<Command, State, Event>, history: readonly Recorded<Event>[]): State {
  return history.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}

/**
 * Widens an aggregate's decider to the whole union. Sound at run time: a stream only holds its
 * aggregate's events (evolve ignores any other type), and decide answers a foreign command with
 * INVALID_COMMAND.
 */
function general<Command, State, Event>(decider: Decider<Command, State, Event>): ChanceryDecider {
  return decider as unknown as ChanceryDecider;
}

/** The command's data checked against its schema: a rejection naming the field, or nothing. */
export function malformedData(command: ChanceryCommand): Rejection | undefined {
  const schema = commandDataSchemas[command.type] as z.ZodType | undefined;
  if (!schema) return reject('INVALID_COMMAND', `unknown command type ${String((command as { type: unknown }).type)}`, 'type');
  const parsed = schema.safeParse(command.data);
  if (parsed.success) return undefined;
  const [issue] = parsed.error.issues;
  if (!issue) return reject('INVALID_COMMAND', 'invalid command data');
  // An unknown field is reported on the object that holds it; name the field itself.
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, ...issue.keys.slice(0, 1)] : issue.path;
  return reject('INVALID_COMMAND', issue.message, path.length === 0 ? undefined : pathOf(path));
}

function pathOf(segments: readonly PropertyKey[]): string {
  return segments.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`)).join('');
}
