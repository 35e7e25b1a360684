import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiQuery } from '@nestjs/swagger';
import type { z } from 'zod';
import { ApiProblem, ApiProblems, jsonSchemaOf } from '#platform';

/** One text for a 400, whichever decorator (class or method) the document keeps. */
const invalidRequest = 'A parameter or header of the request is not valid (each one is named in `errors`).';

/** Documents each query parameter of a zod query schema, and the 400 of a query it refuses. */
export function ApiListQuery(schema: z.ZodObject) {
  const json = jsonSchemaOf(schema) as { properties?: Record<string, object>; required?: string[] };
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, property]) =>
      ApiQuery({ name, required: json.required?.includes(name) ?? false, schema: property })),
    ApiProblem(400, invalidRequest),
  );
}

/** A read of the read models: it can wait for a write first (ConsistencyInterceptor). */
export function ApiReadModels() {
  return applyDecorators(
    ApiHeader({
      name: 'X-Consistency-Token',
      required: false,
      description: 'The consistencyToken of a write: the read waits (up to 5 s) until the read models include that write.',
    }),
    ApiProblems([400, invalidRequest], [504, 'The read models did not include the write within 5 s; retry with the same token.']),
  );
}
