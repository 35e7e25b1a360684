// The JSON Schemas published under /schemas, one file per event type and version (DESIGN §8).
import { z } from 'zod';
import { chanceryEventTypes } from '../events.js';
import { domainEventSchemaAt, schemaVersionsOf } from '../upcasting.js';

export type JsonSchema = Record<string, unknown>;

/**
 * File name (`DemandIssued.v1.json`) → JSON Schema of the whole event, for every version of every
 * type: a consumer reading the topic from the start meets events in past versions too.
 */
export function eventJsonSchemas(): Record<string, JsonSchema> {
  return Object.fromEntries(
    chanceryEventTypes.flatMap((type) =>
      schemaVersionsOf(type).map((version) => [
        `${type}.v${version}.json`,
        z.toJSONSchema(domainEventSchemaAt(type, version), { target: 'draft-2020-12' }) as JsonSchema,
      ]),
    ),
  );
}

/** How a schema file is written, so the generator and the staleness test agree byte for byte. */
export function jsonSchemaFileText(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
