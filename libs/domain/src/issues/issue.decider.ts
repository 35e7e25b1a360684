import { type Decider } from '../shared/decider.js';
import { bookkeeping } from '../shared/events.js';
import { reject } from '../shared/rejection.js';
import { type IssueCommand } from './issue.commands.js';
import { type IssueEvent } from './issue.events.js';

export type IssueState = { registered: boolean };

export const issueDecider: Decider<IssueCommand, IssueState, IssueEvent> = {
  initialState: () => ({ registered: false }),

  evolve(state, event) {
    switch (event.type) {
      case 'IssueRegistered':
        return { registered: true };
      case 'EventRetracted':
        // Only a registration lives here, and registrations are not retractable.
        return state;
      default: {
        const _exhaustive: never = event;
        return state;
      }
    }
  },

  decide(command, state, context) {
    switch (command.type) {
      case 'RegisterIssue': {
        const { id, title, description } = command.data;
        if (state.registered) return reject('ALREADY_EXISTS', `issue ${id} is already registered`);
        return [bookkeeping('IssueRegistered', context.now, { issueId: id, title, description })];
      }
      default: {
        const _exhaustive: never = command.type;
        return reject('INVALID_COMMAND', 'not an issue command');
      }
    }
  },
};
