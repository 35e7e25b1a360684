// Rules shared by several deciders. Each returns a rejection or undefined, so a decider chains them with `??`.
import { type DecisionContext } from './decider.js';
import { type Reference } from './references.js';
import { type Rejection, reject } from './rejection.js';

const calendarDate = /^\d{4}-\d{2}-\d{2}$/;

/** A bare date is in the future only after today's date in UTC: "today" is never refused, whatever the hour. */
export function occurredInFuture(occurredAt: string, now: Date): Rejection | undefined {
  const future = calendarDate.test(occurredAt)
    ? occurredAt > now.toISOString().slice(0, 10)
    : Date.parse(occurredAt) > now.getTime();
  return future ? reject('OCCURRED_IN_FUTURE', `occurredAt ${occurredAt} is in the future`, 'occurredAt') : undefined;
}

export function unknownReference(references: readonly Reference[], context: DecisionContext): Rejection | undefined {
  for (const reference of references) {
    if (reference.kind === 'party' && !context.knownParties.has(reference.id)) {
      return reject('UNKNOWN_PARTY', `party ${reference.id} is not registered`, reference.path);
    }
    if (reference.kind === 'issue' && !context.knownIssues.has(reference.id)) {
      return reject('UNKNOWN_ISSUE', `issue ${reference.id} is not registered`, reference.path);
    }
  }
  return undefined;
}

export function duplicateReference(field: string, ids: readonly string[]): Rejection | undefined {
  const index = ids.findIndex((id, position) => ids.indexOf(id) !== position);
  return index === -1 ? undefined : reject('DUPLICATE_REFERENCE', `${ids[index]} is named twice in ${field}`, `${field}[${index}]`);
}

export function selfAddressed(by: string, field: string, ids: readonly string[]): Rejection | undefined {
  const index = ids.indexOf(by);
  return index === -1 ? undefined : reject('SELF_ADDRESSED', `${by} cannot address itself`, `${field}[${index}]`);
}
