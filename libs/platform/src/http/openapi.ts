// The OpenAPI document: OpenAPI 3.1, whose schemas are JSON Schema 2020-12, the dialect zod writes.
// Built here and only here, from the controllers' decorators, and served at /openapi.json with a UI
// at /docs. Neither needs a key: they describe the API and hold no data, and a browser cannot send
// a bearer key when it opens a page (the UI's "Authorize" takes one for "Try it out").
import { applyDecorators, type INestApplication } from '@nestjs/common';
import { ApiResponse, DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { z } from 'zod';
import { problemBaseUri } from './problem.js';

export const openApiPaths = { document: '/openapi.json', ui: '/docs' } as const;

/** The security scheme every keyed operation names. */
export const bearerScheme = 'bearer';

type JsonSchema = Record<string, unknown>;

/**
 * A zod schema as a schema of the document: JSON Schema 2020-12 as OpenAPI 3.1 takes it, without
 * the `$schema` of a standalone document (the document's dialect already says it).
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** RFC 9457 problem details, as `ProblemError` renders them. */
const problemSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri-reference', description: `What went wrong, as a code under ${problemBaseUri}` },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      description: 'Each invalid field of a request that failed validation',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
  additionalProperties: true,
};

export const problemSchemaRef = '#/components/schemas/Problem';

/** An error answer of an operation (or of every operation of a controller), as problem+json. */
export function ApiProblem(status: number, description: string) {
  return ApiResponse({ status, description, content: { 'application/problem+json': { schema: { $ref: problemSchemaRef } } } });
}

/** Several error answers at once: `ApiProblems([404, 'No such party.'], [409, '…'])`. */
export function ApiProblems(...answers: Array<[status: number, description: string]>) {
  return applyDecorators(...answers.map(([status, description]) => ApiProblem(status, description)));
}

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Chancery')
    .setDescription('Records diplomatic developments as events and serves the read models built from them. '
      + 'Every operation but health needs an API key: "Authorize" with a reader, writer or admin key.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key (reader, writer or admin)' }, bearerScheme)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: problemSchema } };
  return document;
}

export function serveOpenApi(app: INestApplication): void {
  // Built at start-up, so a controller the document cannot describe stops the process, not a request.
  SwaggerModule.setup(openApiPaths.ui.slice(1), app, openApiDocument(app), {
    jsonDocumentUrl: openApiPaths.document.slice(1),
    raw: ['json'],
    customSiteTitle: 'Chancery API',
    // The key given to "Authorize" survives a reload of the page.
    swaggerOptions: { persistAuthorization: true },
  });
}
