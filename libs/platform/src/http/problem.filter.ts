import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { problem, type Problem, ProblemError } from './problem.js';

type BodyParserError = Error & { type: string; status: number };

function isBodyParserError(error: unknown): error is BodyParserError {
  return error instanceof Error && typeof (error as BodyParserError).type === 'string'
    && typeof (error as BodyParserError).status === 'number';
}

function fromBodyParser(error: BodyParserError): Problem {
  switch (error.type) {
    case 'entity.too.large':
      return problem(413, 'body-too-large', 'The request body is larger than the server accepts.');
    case 'entity.parse.failed':
      return problem(400, 'malformed-json', 'The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problem(415, 'unsupported-encoding', error.message);
    default:
      return problem(error.status >= 400 && error.status < 500 ? error.status : 400, 'bad-request', error.message);
  }
}

function fromHttpException(exception: HttpException): Problem {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const message = typeof response === 'string'
    ? response
    : String((response as { message?: unknown }).message ?? exception.message);
  const code = status === 404 ? 'not-found' : status === 405 ? 'method-not-allowed' : `http-${status}`;
  return problem(status, code, message);
}

/**
 * Postgres or a connection to it being away is the server's trouble but not a bug: 503, retry later.
 * SQLSTATE classes 08 (connection), 53 (resources), 57P (shutdown), and a read model not set up yet.
 */
function isUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (typeof code === 'string' && (/^(08|53)/.test(code) || /^57P0[1-3]$/.test(code) || code === '42P01')) return true;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT') return true;
  return typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(message);
}

/** SQLSTATE class 40: the transaction lost to a concurrent one (deadlock, serialization); trying again succeeds. */
function isTransientConflict(error: unknown): boolean {
  const { code } = (error ?? {}) as { code?: string };
  return typeof code === 'string' && code.startsWith('40');
}

/** SQLSTATE class 22: data exceptions (invalid text, out of range, untranslatable character). */
function isDataException(error: unknown): boolean {
  const { code } = (error ?? {}) as { code?: string };
  return typeof code === 'string' && code.startsWith('22');
}

/** Renders every error as application/problem+json; anything unexpected is logged and hidden. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    let body: Problem;
    if (exception instanceof ProblemError) body = exception.problem;
    // Nest wraps body-parser's errors (bad JSON, too large) in an HttpException; the cause says which.
    else if (exception instanceof HttpException && isBodyParserError(exception.cause)) body = fromBodyParser(exception.cause);
    else if (exception instanceof HttpException) body = fromHttpException(exception);
    else if (isBodyParserError(exception)) body = fromBodyParser(exception);
    else if (isUnavailable(exception)) {
      this.logger.warn({ err: (exception as Error).message, path: request.url }, 'dependency unavailable');
      response.setHeader('Retry-After', '1');
      body = problem(503, 'unavailable', 'The database is not reachable right now; retry shortly.');
    } else if (isTransientConflict(exception)) {
      this.logger.warn({ err: (exception as Error).message, path: request.url }, 'lost to a concurrent transaction');
      response.setHeader('Retry-After', '1');
      body = problem(503, 'busy', 'The request met a concurrent change in the database; retry it.');
    } else if (isDataException(exception)) {
      // A value Postgres cannot take (a NUL byte, an out-of-range number) that validation let through:
      // the request's fault, so a 400, and logged, since validation should have caught it.
      this.logger.warn({ err: (exception as Error).message, path: request.url }, 'data exception from a request value');
      body = problem(400, 'invalid-value', 'A value in the request cannot be used; check its format.');
    } else {
      this.logger.error({ err: exception, path: request.url }, 'unexpected error');
      body = problem(500, 'internal', 'The server could not complete the request; it has been logged.');
    }
    if (response.headersSent) return;
    response.status(body.status).type('application/problem+json').json({ ...body, instance: request.originalUrl });
  }
}
