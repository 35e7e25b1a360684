// A coded development is recorded once; nothing answers, holds or cancels it. It sets no stance.
import { duplicateReference, occurredInFuture, selfAddressed, unknownReference } from '../shared/checks.js';
import { cameoOfCode } from '../shared/cameo.js';
import { type Decider } from '../shared/decider.js';
import { development } from '../shared/events.js';
import { reject } from '../shared/rejection.js';
import { type CodedDevelopmentCommand, codedDevelopmentReferences } from './coded-development.commands.js';
import { type CodedDevelopmentEvent } from './coded-development.events.js';

/** `recorded` stays true when the development is retracted: the id stays taken. */
export type CodedDevelopmentState = { recorded: boolean };

export const codedDevelopmentDecider: Decider<CodedDevelopmentCommand, CodedDevelopmentState, CodedDevelopmentEvent> = {
  initialState: () => ({ recorded: false }),

  evolve(state, event) {
    switch (event.type) {
      case 'CodedDevelopmentRecorded':
        return { recorded: true };
      case 'EventRetracted':
        return state;
      default: {
        const _exhaustive: never = event;
        return state;
      }
    }
  },

  decide(command, state, context) {
    switch (command.type) {
      case 'RecordCodedDevelopment': {
        const { developmentId, by, to, cameo, goldstein, issue, summary, ...provenance } = command.data;
        const invalid =
          occurredInFuture(provenance.occurredAt, context.now) ??
          duplicateReference('to', to) ??
          selfAddressed(by, 'to', to) ??
          unknownReference(codedDevelopmentReferences(command), context);
        if (invalid) return invalid;
        if (state.recorded) return reject('ALREADY_EXISTS', `development ${developmentId} already exists`);
        return [development('CodedDevelopmentRecorded', provenance, { developmentId, by, to, cameo: { ...cameoOfCode(cameo), ...(goldstein === undefined ? {} : { goldstein }) }, issue, summary })];
      }
      default: {
        const _exhaustive: never = command.type;
        return reject('INVALID_COMMAND', 'not a coded development command');
      }
    }
  },
};
