import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import type { ChanceryConfig } from '../config/config.js';

/**
 * Structured JSON logs; every request carries a correlation id (X-Correlation-Id, or a new one).
 * A request's line says what was asked and how it ended, not its headers. Lines are written
 * without blocking the request that logged them (pino flushes what is pending when the process exits).
 */
export function loggingModule(config: ChanceryConfig) {
  return LoggerModule.forRoot({
    pinoHttp: [{
      level: config.logLevel,
      genReqId: (request, response) => {
        const given = request.headers['x-correlation-id'];
        const id = typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
        response.setHeader('X-Correlation-Id', id);
        return id;
      },
      customProps: (request) => ({ correlationId: request.id }),
      serializers: {
        req: (request: { method: string; url: string }) => ({ method: request.method, url: request.url }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
      autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
    }, pino.destination({ sync: false })],
  });
}
