// Field shapes shared by commands and events, so a value the API accepts is a value an event may hold.
import { z } from 'zod';

/**
 * An id that is safe in a stream id and a URL path: party codes like `RUS`, slugs like
 * `ukraine-nato-membership`, UUIDs.
 */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'an id is 1–128 letters, digits, ".", "_" or "-", starting with a letter or digit');

export const textSchema = (maxLength: number) => z.string().min(1).max(maxLength);

export const shortText = textSchema(300);
export const longText = textSchema(4000);

/** A list of references; duplicates are a rejection of the decider (with a path), not a shape error. */
export const idListSchema = (min: number) => z.array(idSchema).min(min).max(100);

/** Spread into a development event's data schema: the rest of a command's provenance goes to the envelope. */
export const noteShape = { note: longText.optional() };

/** An answer's reference to the answer it took over from (see ./answers.ts). */
export const supersedesSchema = <const Responses extends readonly [string, ...string[]]>(responses: Responses) =>
  z.strictObject({ eventId: z.string().min(1).max(128), answer: z.enum(responses) });
