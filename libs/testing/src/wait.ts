// Waiting on something a real broker and database do in their own time: poll, never sleep a guess.
import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves once `check` says yes; throws if it has not within `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(25);
  }
}
