// The start-up every HTTP app shares: config first (one clear line if wrong), JSON logs,
// problem+json errors, a body size limit, graceful shutdown.
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { ConfigError, type ChanceryConfig, loadConfig } from '../config/config.js';
import { PlatformModule } from '../platform.module.js';
import { serveOpenApi } from './openapi.js';
import { ProblemFilter } from './problem.filter.js';

export const jsonBodyLimit = '1mb';

export async function createHttpApp(rootModule: unknown): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule as never, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.useBodyParser('json', { limit: jsonBodyLimit, type: ['application/json', 'application/*+json'] });
  app.useGlobalFilters(new ProblemFilter());
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.enableShutdownHooks();
  // Idle keep-alive connections outlive the clients' own idle timeouts (proxies use 60 s), so a
  // client never writes into a socket the server is closing.
  const server = app.getHttpServer() as import('node:http').Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  serveOpenApi(app);
  return app;
}

/** Loads config, builds the app module from it, serves; exits with one line on a bad setting. */
export async function serveHttp(
  name: string,
  moduleFor: (config: ChanceryConfig) => unknown,
  configure: (app: INestApplication, config: ChanceryConfig) => void = () => {},
): Promise<INestApplication> {
  let config: ChanceryConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(1);
  }
  try {
    const app = await createHttpApp(moduleFor(config));
    configure(app, config);
    await app.listen(config.http.port, config.http.host);
    app.get(Logger).log(`${name} listening on http://${config.http.host}:${config.http.port}`);
    return app;
  } catch (error) {
    process.stderr.write(`${name}: could not start: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

/** The root module of a process: the platform (config, logs, health) plus the given modules. */
export function rootModule(config: ChanceryConfig, imports: unknown[]): DynamicModule {
  return { module: class ChanceryRoot {}, imports: [PlatformModule.forRoot(config), ...(imports as DynamicModule[])] };
}
