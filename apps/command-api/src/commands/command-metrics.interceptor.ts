// Commands by use case and outcome, and how long each took, for /metrics.
import { type CallHandler, type ExecutionContext, HttpException, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, type Observable, tap, throwError } from 'rxjs';
import { Counter, Histogram, METRICS, ProblemError, type Registry } from '#platform';

export const USE_CASE = 'chancery:use-case';

@Injectable()
export class CommandMetricsInterceptor implements NestInterceptor {
  private readonly commands: Counter<'command' | 'status'>;
  private readonly latency: Histogram<'command'>;

  constructor(private readonly reflector: Reflector, @Inject(METRICS) registry: Registry) {
    this.commands = new Counter({ name: 'chancery_commands_total', help: 'Commands by use case and HTTP status', labelNames: ['command', 'status'], registers: [registry] });
    this.latency = new Histogram({
      name: 'chancery_command_duration_seconds', help: 'Time to decide and append a command', labelNames: ['command'], registers: [registry],
      buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const command = this.reflector.get<string | undefined>(USE_CASE, context.getHandler());
    if (!command) return next.handle();
    const stop = this.latency.startTimer({ command });
    const count = (status: number) => {
      stop();
      this.commands.inc({ command, status: String(status) });
    };
    return next.handle().pipe(
      tap(() => count(201)),
      catchError((error: unknown) => {
        count(error instanceof ProblemError ? error.problem.status : error instanceof HttpException ? error.getStatus() : 500);
        return throwError(() => error);
      }),
    );
  }
}
