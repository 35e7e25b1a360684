import { type Answers, decideAnswer, withAnswer, withoutAnswer } from '../shared/answers.js';
import { duplicateReference, occurredInFuture, selfAddressed, unknownReference } from '../shared/checks.js';
import { type Decider } from '../shared/decider.js';
import { development, type Recorded } from '../shared/events.js';
import { type Rejection, isRejection, reject } from '../shared/rejection.js';
import { type AcceptProposal, type DeclineProposal, type ProposalCommand, proposalReferences } from './proposal.commands.js';
import { type ProposalAccepted, type ProposalDeclined, type ProposalEvent, type ProposalResponse } from './proposal.events.js';

export type ProposalState = {
  /** Kept when the proposal is retracted: the id stays taken. */
  made?: { eventId: string; proposer: string; to: string[]; issue?: string };
  retracted: boolean;
  /** Every answer not retracted; each addressee's latest counts (../shared/answers.ts). */
  answers: Answers<ProposalResponse>;
};

const answerOf = (event: Recorded<ProposalDeclined | ProposalAccepted>, response: ProposalResponse) => ({
  party: event.data.by, response, eventId: event.eventId, occurredAt: event.occurredAt, streamVersion: event.streamVersion,
});

export const proposalDecider: Decider<ProposalCommand, ProposalState, ProposalEvent> = {
  initialState: () => ({ retracted: false, answers: [] }),

  evolve(state, event) {
    switch (event.type) {
      case 'ProposalMade': {
        const { by, to, issue } = event.data;
        return { ...state, made: { eventId: event.eventId, proposer: by, to, issue } };
      }
      case 'ProposalDeclined':
        return { ...state, answers: withAnswer(state.answers, answerOf(event, 'declined')) };
      case 'ProposalAccepted':
        return { ...state, answers: withAnswer(state.answers, answerOf(event, 'accepted')) };
      case 'EventRetracted': {
        const retracted = event.data.retractedEventId;
        if (state.made?.eventId === retracted) return { ...state, retracted: true };
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
      unknownReference(proposalReferences(command), context);
    if (invalid) return invalid;

    switch (command.type) {
      case 'MakeProposal': {
        const { proposalId, by, to, issue, summary, ...provenance } = command.data;
        if (state.made) return reject('ALREADY_EXISTS', `proposal ${proposalId} already exists`);
        return [development('ProposalMade', provenance, { proposalId, by, to, issue, summary })];
      }
      case 'DeclineProposal':
      case 'AcceptProposal':
        return answer(command, state);
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

const answerKinds = { DeclineProposal: ['ProposalDeclined', 'declined'], AcceptProposal: ['ProposalAccepted', 'accepted'] } as const;

/** An addressee's answer, carrying what it answers and the answer it supersedes; or why it cannot answer. */
function answer(command: DeclineProposal | AcceptProposal, state: ProposalState): ProposalEvent[] | Rejection {
  const [type, response] = answerKinds[command.type];
  const { proposalId, by, reason, ...provenance } = command.data;
  if (!state.made || state.retracted) return reject('NOT_FOUND', `proposal ${proposalId} does not exist`);
  const { proposer, to, issue } = state.made;
  const decided = decideAnswer({
    subject: `proposal ${proposalId}`, addressees: to, answers: state.answers, by, response,
    occurredAt: provenance.occurredAt, alreadyAnswered: 'PROPOSAL_ALREADY_ANSWERED',
  });
  if (isRejection(decided)) return decided;
  return [development(type, provenance, { proposalId, by, reason, proposer, to, issue, supersedes: decided.supersedes })];
}
