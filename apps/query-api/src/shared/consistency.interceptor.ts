// X-Consistency-Token: a read waits (up to 5 s, then 504) until every live read model includes the
// write that handed the token out.
import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import pg from 'pg';
import { from, type Observable, switchMap } from 'rxjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { PG_POOL, ProblemError } from '#platform';
import { hasApplied } from '#read-models';

const waitMs = 5_000;
const pollMs = 10;

function decodeToken(token: string): { streamId: string; version: number } {
  try {
    const [streamId, version] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof streamId === 'string' && Number.isInteger(version) && (version as number) > 0) return { streamId, version: version as number };
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

  private async waitFor(point: { streamId: string; version: number }): Promise<void> {
    const deadline = Date.now() + waitMs;
    while (!(await hasApplied(this.pool, point.streamId, point.version))) {
      if (Date.now() > deadline) {
        throw ProblemError.of(504, 'consistency-timeout', `The read models did not include ${point.streamId}@${point.version} within 5 s; retry.`);
      }
      await sleep(pollMs);
    }
  }
}
