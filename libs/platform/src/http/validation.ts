// Request validation with zod: strict objects (unknown fields refused), every issue reported as
// {path, message} in one 400 problem document.
import { type PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { ProblemError } from './problem.js';

export function pathOf(path: PropertyKey[]): string {
  return path.reduce<string>((text, part) =>
    typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part), '');
}

export function validationProblem(error: z.ZodError, where: 'body' | 'query' | 'line' = 'body'): ProblemError {
  const errors = error.issues.map((issue) => ({ path: pathOf(issue.path as PropertyKey[]) || '(root)', message: issue.message }));
  return ProblemError.of(400, 'validation', `The request ${where} is not valid: ${errors.length} problem(s).`, { errors });
}

export function parseOrThrow<Schema extends z.ZodType>(schema: Schema, value: unknown, where: 'body' | 'query' = 'body'): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationProblem(parsed.error, where);
  return parsed.data;
}

/** `@Body(new ZodPipe(schema))` */
export class ZodPipe<Schema extends z.ZodType> implements PipeTransform<unknown, z.output<Schema>> {
  constructor(private readonly schema: Schema, private readonly where: 'body' | 'query' = 'body') {}

  transform(value: unknown): z.output<Schema> {
    return parseOrThrow(this.schema, value ?? {}, this.where);
  }
}
