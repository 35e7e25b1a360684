// Every command Chancery decides, where each one's stream is, and what the handler must look up for it.
import { type z } from 'zod';
import {
  type CodedDevelopmentCommand, codedDevelopmentCommandSchemas, codedDevelopmentReferences,
} from './coded-developments/coded-development.commands.js';
import { type DemandCommand, demandCommandSchemas, demandReferences } from './demands/demand.commands.js';
import { type IssueCommand, issueCommandSchemas } from './issues/issue.commands.js';
import { type MeetingCommand, meetingCommandSchemas, meetingReferences } from './meetings/meeting.commands.js';
import { type PartyCommand, partyCommandSchemas, partyReferences } from './parties/party.commands.js';
import { type ProposalCommand, proposalCommandSchemas, proposalReferences } from './proposals/proposal.commands.js';
import { type RetractEvent, retractionCommandSchemas } from './retractions/retraction.commands.js';
import { type Reference } from './shared/references.js';
import {
  codedDevelopmentStream, demandStream, issueStream, meetingStream, partyStream, proposalStream, warningStream,
} from './shared/streams.js';
import { type WarningCommand, warningCommandSchemas, warningReferences } from './warnings/warning.commands.js';

export type ChanceryCommand =
  | PartyCommand
  | IssueCommand
  | DemandCommand
  | MeetingCommand
  | WarningCommand
  | ProposalCommand
  | CodedDevelopmentCommand
  | RetractEvent;
export type ChanceryCommandType = ChanceryCommand['type'];

/** The `data` of each command, strict; `decideCommand` refuses data that does not parse. */
export const commandDataSchemas: Record<ChanceryCommandType, z.ZodType> = {
  ...partyCommandSchemas,
  ...issueCommandSchemas,
  ...demandCommandSchemas,
  ...meetingCommandSchemas,
  ...warningCommandSchemas,
  ...proposalCommandSchemas,
  ...codedDevelopmentCommandSchemas,
  ...retractionCommandSchemas,
};

export const chanceryCommandTypes = Object.keys(commandDataSchemas) as ChanceryCommandType[];

/** Each party and issue the command names, with the path of the field naming it, in field order. */
export function referenceFieldsOf(command: ChanceryCommand): Reference[] {
  switch (command.type) {
    case 'RegisterParty':
    case 'StatePosition':
      return partyReferences(command);
    case 'RegisterIssue':
    case 'RetractEvent':
      return [];
    case 'IssueDemand':
    case 'RejectDemand':
    case 'AcceptDemand':
    case 'WithdrawDemand':
      return demandReferences(command);
    case 'HoldMeeting':
    case 'ScheduleMeeting':
    case 'RecordMeetingHeld':
    case 'CancelMeeting':
      return meetingReferences(command);
    case 'GiveWarning':
      return warningReferences(command);
    case 'MakeProposal':
    case 'DeclineProposal':
    case 'AcceptProposal':
      return proposalReferences(command);
    case 'RecordCodedDevelopment':
      return codedDevelopmentReferences(command);
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}

/** The ids the handler looks up to fill `DecisionContext.knownParties` / `knownIssues`, each once. */
export function referencesOf(command: ChanceryCommand): { parties: string[]; issues: string[] } {
  const references = referenceFieldsOf(command);
  const ids = (kind: Reference['kind']) => [...new Set(references.filter((reference) => reference.kind === kind).map((reference) => reference.id))];
  return { parties: ids('party'), issues: ids('issue') };
}

/** The stream a command is decided on. A retraction's stream is that of the event it names, which only the journal knows. */
export function streamIdOf(command: ChanceryCommand): string {
  switch (command.type) {
    case 'RegisterParty':
      return partyStream(command.data.id);
    case 'StatePosition':
      return partyStream(command.data.by);
    case 'RegisterIssue':
      return issueStream(command.data.id);
    case 'IssueDemand':
    case 'RejectDemand':
    case 'AcceptDemand':
    case 'WithdrawDemand':
      return demandStream(command.data.demandId);
    case 'HoldMeeting':
    case 'ScheduleMeeting':
    case 'RecordMeetingHeld':
    case 'CancelMeeting':
      return meetingStream(command.data.meetingId);
    case 'GiveWarning':
      return warningStream(command.data.warningId);
    case 'MakeProposal':
    case 'DeclineProposal':
    case 'AcceptProposal':
      return proposalStream(command.data.proposalId);
    case 'RecordCodedDevelopment':
      return codedDevelopmentStream(command.data.developmentId);
    case 'RetractEvent':
      throw new Error('a RetractEvent is decided on the stream of the event it names: look the event up by id');
    default: {
      const _exhaustive: never = command;
      throw new Error(`unknown command ${(_exhaustive as { type: string }).type}`);
    }
  }
}
