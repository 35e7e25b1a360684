import { type Recorded } from './events.js';
import { type Rejection } from './rejection.js';

export type DecisionContext = {
  now: Date;
  /** ids among the command's references that exist (the handler looks them up) */
  knownParties: ReadonlySet<string>;
  knownIssues: ReadonlySet<string>;
};

export type Decider<Command, State, Event> = {
  initialState: () => State;
  evolve: (state: State, event: Recorded<Event>) => State;
  decide: (command: Command, state: State, context: DecisionContext) => Event[] | Rejection;
};
