import { duplicateReference, occurredInFuture, selfAddressed, unknownReference } from '../shared/checks.js';
import { type Decider } from '../shared/decider.js';
import { type Provenance } from '../shared/development.js';
import { development } from '../shared/events.js';
import { type Rejection, isRejection, reject } from '../shared/rejection.js';
import { type AcceptProposal, type DeclineProposal, type ProposalCommand, proposalReferences } from './proposal.commands.js';
import { type ProposalEvent } from './proposal.events.js';

export type ProposalAnswer = { answer: 'declined' | 'accepted'; eventId: string };

export type ProposalState = {
  /** Kept when the proposal is retracted: the id stays taken. */
  made?: { eventId: string; proposer: string; to: string[]; issue?: string };
  retracted: boolean;
  /** Each addressee answers once; a retracted answer is gone. */
  answers: ReadonlyMap<string, ProposalAnswer>;
};

export const proposalDecider: Decider<ProposalCommand, ProposalState, ProposalEvent> = {
  initialState: () => ({ retracted: false, answers: new Map() }),

  evolve(state, event) {
    switch (event.type) {
      case 'ProposalMade': {
        const { by, to, issue } = event.data;
        return { ...state, made: { eventId: event.eventId, proposer: by, to, issue } };
      }
      case 'ProposalDeclined':
        return { ...state, answers: new Map(state.answers).set(event.data.by, { answer: 'declined', eventId: event.eventId }) };
      case 'ProposalAccepted':
        return { ...state, answers: new Map(state.answers).set(event.data.by, { answer: 'accepted', eventId: event.eventId }) };
      case 'EventRetracted': {
        const retracted = event.data.retractedEventId;
        if (state.made?.eventId === retracted) return { ...state, retracted: true };
        return { ...state, answers: new Map([...state.answers].filter(([, answer]) => answer.eventId !== retracted)) };
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
      unknownReference(proposalReferences(command), context);
    if (invalid) return invalid;

    switch (command.type) {
      case 'MakeProposal': {
        const { proposalId, by, to, issue, summary, ...provenance } = command.data;
        if (state.made) return reject('ALREADY_EXISTS', `proposal ${proposalId} already exists`);
        return [development('ProposalMade', provenance, { proposalId, by, to, issue, summary })];
      }
      case 'DeclineProposal': {
        const answered = answer(command, state);
        return isRejection(answered) ? answered : [development('ProposalDeclined', answered.provenance, answered.data)];
      }
      case 'AcceptProposal': {
        const answered = answer(command, state);
        return isRejection(answered) ? answered : [development('ProposalAccepted', answered.provenance, answered.data)];
      }
      default: {
        const _exhaustive: never = command;
        return reject('INVALID_COMMAND', 'not a proposal command');
      }
    }
  },
};

function badAddressees(command: ProposalCommand): Rejection | undefined {
  if (command.type !== 'MakeProposal') return undefined;
  const { by, to } = command.data;
  return duplicateReference('to', to) ?? selfAddressed(by, 'to', to);
}

/** What an addressee's answer records, or why it cannot answer. */
function answer(
  command: DeclineProposal | AcceptProposal,
  state: ProposalState,
): { provenance: Provenance; data: { proposalId: string; by: string; reason?: string; proposer: string; to: string[]; issue?: string } } | Rejection {
  const { proposalId, by, reason, ...provenance } = command.data;
  if (!state.made || state.retracted) return reject('NOT_FOUND', `proposal ${proposalId} does not exist`);
  const { proposer, to, issue } = state.made;
  if (!to.includes(by)) return reject('NOT_AN_ADDRESSEE', `${by} is not an addressee of proposal ${proposalId}`, 'by');
  if (state.answers.has(by)) return reject('PROPOSAL_ALREADY_ANSWERED', `${by} has already answered proposal ${proposalId}`, 'by');
  return { provenance, data: { proposalId, by, reason, proposer, to, issue } };
}
