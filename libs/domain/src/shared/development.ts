// What every development carries besides its own facts: when it happened, who reported it, how sure we are.
import { z } from 'zod';
import { longText, shortText, textSchema } from './fields.js';

export const confidences = ['confirmed', 'reported', 'unverified'] as const;
export type Confidence = (typeof confidences)[number];

/** One report of a development; `url` or `citation` is required. `via`: who quoted whom (IRNA quoting Reuters). */
export type Source = { url?: string; citation?: string; outlet?: string; via?: string; quote?: string; publishedAt?: string };

/** The provenance fields of a development command; `note` ends up in the event's data. */
export type Provenance = { occurredAt: string; sources: Source[]; confidence?: Confidence; note?: string };

/** Valid time: a calendar date when that is all a report gives, else a timestamp with its offset (never local time). */
export const instantSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const confidenceSchema = z.enum(confidences);

export const sourceSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/ }).max(2048).optional(),
    citation: textSchema(1000).optional(),
    outlet: shortText.optional(),
    via: shortText.optional(),
    quote: textSchema(10_000).optional(),
    publishedAt: instantSchema.optional(),
  })
  .refine((source) => source.url !== undefined || source.citation !== undefined, {
    message: 'a source needs a url or a citation',
  })
  // A refinement does not reach JSON Schema; this states the same rule there.
  .meta({ anyOf: [{ required: ['url'] }, { required: ['citation'] }] });

export const sourcesSchema = z.array(sourceSchema).min(1).max(50);

/** Spread into a development command's data schema. */
export const provenanceShape = {
  occurredAt: instantSchema,
  sources: sourcesSchema,
  confidence: confidenceSchema.optional(),
  note: longText.optional(),
};

// The declared types are the contract others code against; the schemas must accept exactly those values.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const _sourceMatchesSchema: Same<Source, z.infer<typeof sourceSchema>> = true;
const _provenanceMatchesSchema: Same<Provenance, z.infer<z.ZodObject<typeof provenanceShape>>> = true;
