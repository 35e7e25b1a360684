import { type Answers, decideAnswer, withAnswer, withoutAnswer } from '../shared/answers.js';
import { duplicateReference, occurredInFuture, selfAddressed, unknownReference } from '../shared/checks.js';
import { type Decider } from '../shared/decider.js';
import { development, type Recorded } from '../shared/events.js';
import { type Rejection, isRejection, reject } from '../shared/rejection.js';
import { type AcceptDemand, type DemandCommand, type RejectDemand, demandReferences } from './demand.commands.js';
import { type DemandAccepted, type DemandEvent, type DemandRejected, type DemandResponse } from './demand.events.js';

export type DemandState = {
  /** Kept when the issuance is retracted: the id stays taken. */
  issued?: { eventId: string; issuer: string; addressedTo: string[]; issue: string };
  issuanceRetracted: boolean;
  /** Every answer not retracted; each addressee's latest counts (../shared/answers.ts). */
  answers: Answers<DemandResponse>;
  withdrawalEventId?: string;
};

const answerOf = (event: Recorded<DemandRejected | DemandAccepted>, response: DemandResponse) => ({
  party: event.data.by, response, eventId: event.eventId, occurredAt: event.occurredAt, streamVersion: event.streamVersion,
});

export const demandDecider: Decider<DemandCommand, DemandState, DemandEvent> = {
  initialState: () => ({ issuanceRetracted: false, answers: [] }),

  evolve(state, event) {
    switch (event.type) {
      case 'DemandIssued': {
        const { by, addressedTo, issue } = event.data;
        return { ...state, issued: { eventId: event.eventId, issuer: by, addressedTo, issue } };
      }
      case 'DemandRejected':
        return { ...state, answers: withAnswer(state.answers, answerOf(event, 'rejected')) };
      case 'DemandAccepted':
        return { ...state, answers: withAnswer(state.answers, answerOf(event, 'accepted')) };
      case 'DemandWithdrawn':
        return { ...state, withdrawalEventId: event.eventId };
      case 'EventRetracted': {
        const retracted = event.data.retractedEventId;
        if (state.issued?.eventId === retracted) return { ...state, issuanceRetracted: true };
        if (state.withdrawalEventId === retracted) return { ...state, withdrawalEventId: undefined };
        return { ...state, answers: withoutAnswer(state.answers, retracted) };
      }
      default: {
        const _exhaustive: never = event;
        return state;
      }
    }
  },

  decide(command, state, context) {
    const invalid =
      occurredInFuture(command.data.occurredAt, context.now) ??
      badAddressees(command) ??
      unknownReference(demandReferences(command), context);
    if (invalid) return invalid;

    switch (command.type) {
      case 'IssueDemand': {
        const { demandId, by, addressedTo, issue, summary, terms = [], ...provenance } = command.data;
        if (state.issued) return reject('ALREADY_EXISTS', `demand ${demandId} already exists`);
        return [development('DemandIssued', provenance, { demandId, by, addressedTo, issue, summary, terms })];
      }
      case 'RejectDemand':
      case 'AcceptDemand':
        return answer(command, state);
      case 'WithdrawDemand': {
        const { demandId, by, reason, ...provenance } = command.data;
        const demand = standingDemand(state, demandId);
        if (isRejection(demand)) return demand;
        if (by !== demand.issuer) return reject('NOT_THE_ISSUER', `only ${demand.issuer}, the issuer, withdraws demand ${demandId}`, 'by');
        const { addressedTo, issue } = demand;
        return [development('DemandWithdrawn', provenance, { demandId, by, reason, addressedTo, issue })];
      }
      default: {
        const _exhaustive: never = command;
        return reject('INVALID_COMMAND', 'not a demand command');
      }
    }
  },
};

function badAddressees(command: DemandCommand): Rejection | undefined {
  if (command.type !== 'IssueDemand') return undefined;
  const { by, addressedTo } = command.data;
  return duplicateReference('addressedTo', addressedTo) ?? selfAddressed(by, 'addressedTo', addressedTo);
}

const answerKinds = { RejectDemand: ['DemandRejected', 'rejected'], AcceptDemand: ['DemandAccepted', 'accepted'] } as const;

/** An addressee's answer, carrying what it answers and the answer it supersedes; or why it cannot answer. */
function answer(command: RejectDemand | AcceptDemand, state: DemandState): DemandEvent[] | Rejection {
  const [type, response] = answerKinds[command.type];
  const { demandId, by, reason, ...provenance } = command.data;
  const demand = standingDemand(state, demandId);
  if (isRejection(demand)) return demand;
  const { issuer, addressedTo, issue } = demand;
  const decided = decideAnswer({
    subject: `demand ${demandId}`, addressees: addressedTo, answers: state.answers, by, response,
    occurredAt: provenance.occurredAt, alreadyAnswered: 'DEMAND_ALREADY_ANSWERED',
  });
  if (isRejection(decided)) return decided;
  return [development(type, provenance, { demandId, by, reason, issuer, addressedTo, issue, supersedes: decided.supersedes })];
}

/** The demand if it can still be answered or withdrawn. */
function standingDemand(state: DemandState, demandId: string): NonNullable<DemandState['issued']> | Rejection {
  if (!state.issued || state.issuanceRetracted) return reject('NOT_FOUND', `demand ${demandId} does not exist`);
  if (state.withdrawalEventId) return reject('DEMAND_WITHDRAWN', `demand ${demandId} has been withdrawn`);
  return state.issued;
}
