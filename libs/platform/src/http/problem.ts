// RFC 9457 problem details: the one shape of every error the API returns.
export type ProblemField = { path: string; message: string };

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: ProblemField[];
  [extension: string]: unknown;
};

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Relative problem type URIs (RFC 9457 §3.1.1): each code is documented in docs/problems.md. */
export const problemBaseUri = '/problems/';

export function problem(status: number, code: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: `${problemBaseUri}${code}`,
    title: titles[status] ?? 'Error',
    status,
    detail,
    ...extra,
  };
}

/** An error that already knows its problem document; thrown by handlers, rendered by the filter. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }

  static of(status: number, code: string, detail: string, extra: Partial<Problem> = {}): ProblemError {
    return new ProblemError(problem(status, code, detail, extra));
  }
}
