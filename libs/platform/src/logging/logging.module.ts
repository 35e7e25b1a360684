import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import type { ChanceryConfig } from '../config/config.js';

/** Structured JSON logs; every request carries a correlation id (X-Correlation-Id, or a new one). */
export function loggingModule(config: ChanceryConfig) {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: config.logLevel,
      genReqId: (request, response) => {
        const given = request.headers['x-correlation-id'];
        const id = typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
        response.setHeader('X-Correlation-Id', id);
        return id;
      },
      customProps: (request) => ({ correlationId: request.id }),
      redact: ['req.headers.authorization'],
      autoLogging: { ignore: (request) => request.url?.startsWith('/health') ?? false },
    },
  });
}
