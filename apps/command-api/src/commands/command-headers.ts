// The two write headers: Idempotency-Key (repeat safely) and If-Match (optimistic concurrency).
import { ProblemError } from '#platform';

export type CommandHeaders = { idempotencyKey?: string; expectedVersion?: number };

export function parseCommandHeaders(headers: Record<string, string | string[] | undefined>): CommandHeaders {
  const parsed: CommandHeaders = {};
  const key = headers['idempotency-key'];
  if (key !== undefined) {
    if (typeof key !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw ProblemError.of(400, 'invalid-idempotency-key', 'Idempotency-Key must be 1–200 visible ASCII characters.');
    }
    parsed.idempotencyKey = key;
  }
  const ifMatch = headers['if-match'];
  if (ifMatch !== undefined) {
    const match = typeof ifMatch === 'string' ? /^(?:W\/)?"(\d{1,9})"$/.exec(ifMatch.trim()) : null;
    if (!match) throw ProblemError.of(400, 'invalid-if-match', 'If-Match must be a stream version in quotes, e.g. If-Match: "3".');
    parsed.expectedVersion = Number(match[1]);
  }
  return parsed;
}
