// An alert's id is a name-based UUID (RFC 9562 version 5) of its rule and what triggered it, so
// evaluating the same trigger again — a redelivered batch, a replay, the timer and an event at
// once — names the same alert, and the table's primary key keeps one.
import { createHash } from 'node:crypto';

const namespace = Buffer.from('e1fed072c438493fbbfc91f24b9fb980', 'hex');

export function uuidV5(name: string, space: Buffer = namespace): string {
  const hash = createHash('sha1').update(space).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The trigger keys: `event:<eventId>`, `tension:<day>:<up|down>`, `surge:<day>`,
 * `demand:<demandId>` — unique per rule (`alerts_one_per_trigger`).
 */
export function alertId(ruleId: string, triggerKey: string): string {
  return uuidV5(`${ruleId}\n${triggerKey}`);
}
