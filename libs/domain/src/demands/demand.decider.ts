import { duplicateReference, occurredInFuture, selfAddressed, unknownReference } from '../shared/checks.js';
import { type Decider } from '../shared/decider.js';
import { type Provenance } from '../shared/development.js';
import { development } from '../shared/events.js';
import { type Rejection, isRejection, reject } from '../shared/rejection.js';
import { type AcceptDemand, type DemandCommand, type RejectDemand, demandReferences } from './demand.commands.js';
import { type DemandEvent } from './demand.events.js';

export type DemandAnswer = { answer: 'rejected' | 'accepted'; eventId: string };

export type DemandState = {
  /** Kept when the issuance is retracted: the id stays taken. */
  issued?: { eventId: string; issuer: string; addressedTo: string[]; issue: string };
  issuanceRetracted: boolean;
  /** The standing answer of each addressee who answered; a retracted answer is gone. */
  answers: ReadonlyMap<string, DemandAnswer>;
  withdrawalEventId?: string;
};

export const demandDecider: Decider<DemandCommand, DemandState, DemandEvent> = {
  initialState: () => ({ issuanceRetracted: false, answers: new Map() }),

  evolve(state, event) {
    switch (event.type) {
      case 'DemandIssued': {
        const { by, addressedTo, issue } = event.data;
        return { ...state, issued: { eventId: event.eventId, issuer: by, addressedTo, issue } };
      }
      case 'DemandRejected':
        return { ...state, answers: new Map(state.answers).set(event.data.by, { answer: 'rejected', eventId: event.eventId }) };
      case 'DemandAccepted':
        return { ...state, answers: new Map(state.answers).set(event.data.by, { answer: 'accepted', eventId: event.eventId }) };
      case 'DemandWithdrawn':
        return { ...state, withdrawalEventId: event.eventId };
      case 'EventRetracted': {
        const retracted = event.data.retractedEventId;
        if (state.issued?.eventId === retracted) return { ...state, issuanceRetracted: true };
        if (state.withdrawalEventId === retracted) return { ...state, withdrawalEventId: undefined };
        const answers = new Map([...state.answers].filter(([, answer]) => answer.eventId !== retracted));
        return { ...state, answers };
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
      case 'RejectDemand': {
        const answered = answer(command, state);
        return isRejection(answered) ? answered : [development('DemandRejected', answered.provenance, answered.data)];
      }
      case 'AcceptDemand': {
        const answered = answer(command, state);
        return isRejection(answered) ? answered : [development('DemandAccepted', answered.provenance, answered.data)];
      }
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

/** What an addressee's answer records, or why it cannot answer. */
function answer(
  command: RejectDemand | AcceptDemand,
  state: DemandState,
): { provenance: Provenance; data: { demandId: string; by: string; reason?: string; issuer: string; addressedTo: string[]; issue: string } } | Rejection {
  const { demandId, by, reason, ...provenance } = command.data;
  const demand = standingDemand(state, demandId);
  if (isRejection(demand)) return demand;
  if (!demand.addressedTo.includes(by)) return reject('NOT_AN_ADDRESSEE', `${by} is not an addressee of demand ${demandId}`, 'by');
  if (state.answers.has(by)) return reject('DEMAND_ALREADY_ANSWERED', `${by} has already answered demand ${demandId}`, 'by');
  const { issuer, addressedTo, issue } = demand;
  return { provenance, data: { demandId, by, reason, issuer, addressedTo, issue } };
}

/** The demand if it can still be answered or withdrawn. */
function standingDemand(state: DemandState, demandId: string): NonNullable<DemandState['issued']> | Rejection {
  if (!state.issued || state.issuanceRetracted) return reject('NOT_FOUND', `demand ${demandId} does not exist`);
  if (state.withdrawalEventId) return reject('DEMAND_WITHDRAWN', `demand ${demandId} has been withdrawn`);
  return state.issued;
}
