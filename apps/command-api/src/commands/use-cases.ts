// Each write endpoint as data: which command it makes, what body it takes, where the resource id
// comes from. The HTTP controllers and the NDJSON import both read this one table.
import { v7 as timeOrderedUuid } from 'uuid';
import { z } from 'zod';
import {
  acceptDemandData, acceptProposalData, cancelMeetingData, type ChanceryCommand, type ChanceryCommandType,
  declineProposalData, giveWarningData, holdMeetingData, idSchema, issueDemandData, makeProposalData,
  recordCodedDevelopmentData, recordMeetingHeldData, registerIssueData, registerPartyData, rejectDemandData, retractEventData,
  scheduleMeetingData, statePositionData, withdrawDemandData,
} from '#domain';

type IdField = 'demandId' | 'meetingId' | 'warningId' | 'proposalId' | 'developmentId' | 'eventId';
type Data = Record<string, unknown>;

function without(schema: z.ZodObject, field: IdField): z.ZodObject {
  return schema.omit({ [field]: true } as Record<IdField, true>);
}

export type UseCase = {
  command: ChanceryCommandType;
  /** The JSON body of the HTTP request. */
  body: z.ZodType<Data>;
  /** The field of the command that the URL path names (`/v1/demands/{id}/rejections` → demandId). */
  pathField?: IdField;
  /** One line of an import: the body, plus the path's id under its field name. */
  importLine: z.ZodType<Data>;
  toCommand: (body: Data, pathId?: string) => ChanceryCommand;
  /** The `id` of the 201 response. */
  resourceId: (command: ChanceryCommand, eventIds: string[]) => string;
};

/** A development that creates its resource: the body's optional `id`, else a new time-ordered UUID (see `newEvents`). */
function creates(command: ChanceryCommandType, schema: z.ZodObject, idField: IdField): UseCase {
  const body = without(schema, idField).extend({ id: idSchema.optional() }) as unknown as z.ZodType<Data>;
  return {
    command,
    body,
    importLine: body,
    toCommand: ({ id, ...rest }) => ({ type: command, data: { ...rest, [idField]: id ?? timeOrderedUuid() } }) as ChanceryCommand,
    resourceId: (made) => (made.data as Data)[idField] as string,
  };
}

/** A development on an existing resource, named by the path. */
function actsOn(command: ChanceryCommandType, schema: z.ZodObject, pathField: IdField): UseCase {
  return {
    command,
    body: without(schema, pathField) as unknown as z.ZodType<Data>,
    pathField,
    importLine: schema as unknown as z.ZodType<Data>,
    toCommand: (body, pathId) => ({ type: command, data: pathId === undefined ? body : { ...body, [pathField]: pathId } }) as ChanceryCommand,
    resourceId: (made) => (made.data as Data)[pathField] as string,
  };
}

/** A registration whose id is required in the body. */
function registers(command: ChanceryCommandType, schema: z.ZodObject): UseCase {
  const body = schema as unknown as z.ZodType<Data>;
  return {
    command,
    body,
    importLine: body,
    toCommand: (data) => ({ type: command, data }) as ChanceryCommand,
    resourceId: (made) => (made.data as Data).id as string,
  };
}

/** A development that is itself the resource: its id is the event's. */
function records(command: ChanceryCommandType, schema: z.ZodObject, pathField?: IdField): UseCase {
  const base = pathField ? actsOn(command, schema, pathField) : registers(command, schema);
  return { ...base, resourceId: (_made, eventIds) => eventIds[0]! };
}

export const useCases = {
  RegisterParty: registers('RegisterParty', registerPartyData),
  RegisterIssue: registers('RegisterIssue', registerIssueData),
  IssueDemand: creates('IssueDemand', issueDemandData, 'demandId'),
  RejectDemand: actsOn('RejectDemand', rejectDemandData, 'demandId'),
  AcceptDemand: actsOn('AcceptDemand', acceptDemandData, 'demandId'),
  WithdrawDemand: actsOn('WithdrawDemand', withdrawDemandData, 'demandId'),
  HoldMeeting: creates('HoldMeeting', holdMeetingData, 'meetingId'),
  ScheduleMeeting: creates('ScheduleMeeting', scheduleMeetingData, 'meetingId'),
  RecordMeetingHeld: actsOn('RecordMeetingHeld', recordMeetingHeldData, 'meetingId'),
  CancelMeeting: actsOn('CancelMeeting', cancelMeetingData, 'meetingId'),
  GiveWarning: creates('GiveWarning', giveWarningData, 'warningId'),
  MakeProposal: creates('MakeProposal', makeProposalData, 'proposalId'),
  DeclineProposal: actsOn('DeclineProposal', declineProposalData, 'proposalId'),
  AcceptProposal: actsOn('AcceptProposal', acceptProposalData, 'proposalId'),
  StatePosition: records('StatePosition', statePositionData),
  RecordCodedDevelopment: creates('RecordCodedDevelopment', recordCodedDevelopmentData, 'developmentId'),
  RetractEvent: records('RetractEvent', retractEventData, 'eventId'),
} satisfies Record<ChanceryCommandType, UseCase>;

export type UseCaseName = keyof typeof useCases;

export function isUseCaseName(name: unknown): name is UseCaseName {
  return typeof name === 'string' && Object.hasOwn(useCases, name);
}
