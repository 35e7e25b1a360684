// Expected business failures are values, never exceptions: the HTTP edge maps each code once.

/** Every code a decider returns, with how the edge should treat it. */
export const rejectionKinds = {
  INVALID_COMMAND: 'unprocessable',
  ALREADY_EXISTS: 'conflict',
  NOT_FOUND: 'not-found',
  UNKNOWN_PARTY: 'unprocessable',
  UNKNOWN_ISSUE: 'unprocessable',
  DUPLICATE_REFERENCE: 'unprocessable',
  SELF_ADDRESSED: 'unprocessable',
  OCCURRED_IN_FUTURE: 'unprocessable',
  NOT_AN_ADDRESSEE: 'unprocessable',
  NOT_THE_ISSUER: 'unprocessable',
  DEMAND_ALREADY_ANSWERED: 'conflict',
  DEMAND_WITHDRAWN: 'conflict',
  TOO_FEW_PARTICIPANTS: 'unprocessable',
  MEETING_CANCELLED: 'conflict',
  MEETING_ALREADY_HELD: 'conflict',
  PROPOSAL_ALREADY_ANSWERED: 'conflict',
  EVENT_NOT_FOUND: 'not-found',
  EVENT_ALREADY_RETRACTED: 'conflict',
  NOT_RETRACTABLE: 'unprocessable',
} as const satisfies Record<string, RejectionKind>;

/** not-found: the stream or event the command acts on; conflict: the state forbids it now; unprocessable: the command itself is wrong. */
export type RejectionKind = 'not-found' | 'conflict' | 'unprocessable';

export type RejectionCode = keyof typeof rejectionKinds;

export type Rejection = { rejection: RejectionCode; message: string; path?: string };

export function reject(rejection: RejectionCode, message: string, path?: string): Rejection {
  return path === undefined ? { rejection, message } : { rejection, message, path };
}

export function isRejection(value: unknown): value is Rejection {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { rejection?: unknown }).rejection === 'string' &&
    Object.hasOwn(rejectionKinds, (value as { rejection: string }).rejection) &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
