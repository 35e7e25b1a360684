// Answering a demand or a proposal, one rule for both (DESIGN §5, docs/adr/0017-answers-that-change.md):
// an addressee may answer again with a different answer, each answer is an event of its own, and the
// one that counts is its latest by `occurredAt` (ties: journal order). The deciders and the
// projections both fold answers with this module, so the rule is written once.
import { type Rejection, type RejectionCode, reject } from './rejection.js';

/** One addressee's answer as its stream holds it. */
export type Answer<Response extends string = string> = {
  party: string;
  response: Response;
  eventId: string;
  /** Valid time, as recorded (a date or a timestamp). */
  occurredAt: string;
  /** Journal order within the stream: the tie-break between answers of the same valid time. */
  streamVersion: number;
};

/** The answer an answer event names as the one it took over from (absent when it took over from none). */
export type Supersedes<Response extends string = string> = { eventId: string; answer: Response };

/** Whether `a` is later than `b` by the answer rule: valid time first (a date is its midnight UTC), then journal order. */
export function isLaterAnswer(a: Pick<Answer, 'occurredAt' | 'streamVersion'>, b: Pick<Answer, 'occurredAt' | 'streamVersion'>): boolean {
  const byValidTime = Date.parse(a.occurredAt) - Date.parse(b.occurredAt);
  return byValidTime === 0 ? a.streamVersion > b.streamVersion : byValidTime > 0;
}

/** Each party's latest answer among `answers`; retracted answers must already be left out. */
export function latestAnswers<A extends Answer>(answers: Iterable<A>): Map<string, A> {
  const latest = new Map<string, A>();
  for (const answer of answers) {
    const standing = latest.get(answer.party);
    if (!standing || isLaterAnswer(answer, standing)) latest.set(answer.party, answer);
  }
  return latest;
}

/** What a decider keeps of a stream's answers: every one not retracted, in stream order. */
export type Answers<Response extends string = string> = readonly Answer<Response>[];

export function withAnswer<Response extends string>(answers: Answers<Response>, answer: Answer<Response>): Answers<Response> {
  return [...answers, answer];
}

/** The answers left once the event `eventId` is retracted (unchanged if it was not an answer). */
export function withoutAnswer<Response extends string>(answers: Answers<Response>, eventId: string): Answers<Response> {
  return answers.some((answer) => answer.eventId === eventId) ? answers.filter((answer) => answer.eventId !== eventId) : answers;
}

export type AnswerRequest<Response extends string> = {
  /** `demand d1`, `proposal p1`: how messages name what is answered. */
  subject: string;
  addressees: readonly string[];
  answers: Answers<Response>;
  by: string;
  response: Response;
  occurredAt: string;
  /** The code for repeating the standing answer: DEMAND_ALREADY_ANSWERED, PROPOSAL_ALREADY_ANSWERED. */
  alreadyAnswered: RejectionCode;
};

/**
 * Whether `by` may give `response` now, and which answer it takes over from. Only an addressee
 * answers. An answer is a repeat, refused since nothing new happened, when the party's answer
 * standing at the new one's valid time is already that answer; any other answer is recorded. One
 * dated after the standing answer (or on the same instant: it is later in the journal) becomes the
 * latest and supersedes it; one dated before it (a report found late) supersedes nothing and does
 * not count as the latest.
 */
export function decideAnswer<Response extends string>(request: AnswerRequest<Response>): { supersedes?: Supersedes<Response> } | Rejection {
  const { subject, addressees, answers, by, response, occurredAt, alreadyAnswered } = request;
  if (!addressees.includes(by)) return reject('NOT_AN_ADDRESSEE', `${by} is not an addressee of ${subject}`, 'by');
  const own = answers.filter((answer) => answer.party === by);
  const next = { occurredAt, streamVersion: Number.POSITIVE_INFINITY };
  const standingThen = latestAnswers(own.filter((answer) => !isLaterAnswer(answer, next))).get(by);
  if (standingThen?.response === response) {
    return reject(alreadyAnswered, `${by}'s answer to ${subject} standing at ${occurredAt} is already ${response} (event ${standingThen.eventId})`, 'by');
  }
  const latest = latestAnswers(own).get(by);
  return latest && isLaterAnswer(next, latest) ? { supersedes: { eventId: latest.eventId, answer: latest.response } } : {};
}
