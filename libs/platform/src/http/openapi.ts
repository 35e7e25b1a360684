// The OpenAPI document, generated from the controllers, at /openapi.json and as a UI at /docs.
// Both need an API key like every other non-health endpoint: the guard does not see routes that
// Swagger mounts on Express directly, so a middleware applies the same check.
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { ApiKeys } from '../auth/api-keys.service.js';
import { problem } from './problem.js';

export function serveOpenApi(app: INestApplication): void {
  const apiKeys = app.get(ApiKeys);
  app.use(['/docs', '/openapi.json'], async (request: Request, response: Response, next: NextFunction) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const principal = match ? await apiKeys.authenticate(match[1]!).catch(() => null) : null;
    if (principal) return next();
    response.setHeader('WWW-Authenticate', 'Bearer');
    response.status(401).type('application/problem+json')
      .json(problem(401, 'unauthorized', 'Send an API key as "Authorization: Bearer <key>".'));
  });
  const config = new DocumentBuilder()
    .setTitle('Chancery')
    .setDescription('Records diplomatic developments as events and serves the read models built from them.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key (reader, writer or admin)' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', raw: ['json'] });
}
