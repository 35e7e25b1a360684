// X-Consistency-Token: a read waits (up to 5 s, then 504) until every live read model includes the
// write that handed the token out.
import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import pg from 'pg';
import { from, type Observable, switchMap } from 'rxjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { PG_POOL, ProblemError } from '#platform';
import { hasApplied, hasAppliedRange } from '#read-models';

const waitMs = 5_000;
const pollMs = 10;

/** A write's token names its stream and version; an import's names the journal positions it appended. */
type ConsistencyPoint = { streamId: string; version: number } | { after: string; upTo: string };

function decodeToken(token: string): ConsistencyPoint {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    const [first, second, third] = decoded;
    if (decoded.length === 2 && typeof first === 'string' && Number.isInteger(second) && (second as number) > 0) {
      return { streamId: first, version: second as number };
    }
    if (decoded.length === 3 && first === 'positions' && /^\d{1,19}$/.test(String(second)) && /^\d{1,19}$/.test(String(third))) {
      return { after: String(second), upTo: String(third) };
    }
  } catch {
    // falls through
  }
  throw ProblemError.of(400, 'invalid-consistency-token', 'X-Consistency-Token is not a token a write returned.');
}

@Injectable()
export class ConsistencyInterceptor implements NestInterceptor {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const token = context.switchToHttp().getRequest<Request>().header('x-consistency-token');
    if (token === undefined) return next.handle();
    return from(this.waitFor(decodeToken(token))).pipe(switchMap(() => next.handle()));
  }

  private async waitFor(point: ConsistencyPoint): Promise<void> {
    const deadline = Date.now() + waitMs;
    const applied = () => ('streamId' in point
      ? hasApplied(this.pool, point.streamId, point.version)
      : hasAppliedRange(this.pool, point.after, point.upTo));
    while (!(await applied())) {
      if (Date.now() > deadline) {
        throw ProblemError.of(504, 'consistency-timeout', 'The read models did not include the write within 5 s; retry with the same token.');
      }
      await sleep(pollMs);
    }
  }
}
