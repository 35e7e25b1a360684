// The JSON Schemas published under /schemas, one file per event type and version (DESIGN §8).
import { z } from 'zod';
import { chanceryEventTypes, currentSchemaVersion, domainEventSchemas } from '../events.js';

export type JsonSchema = Record<string, unknown>;

/** File name (`DemandIssued.v1.json`) → JSON Schema of the whole event at its current version. */
export function eventJsonSchemas(): Record<string, JsonSchema> {
  return Object.fromEntries(
    chanceryEventTypes.map((type) => [
      `${type}.v${currentSchemaVersion[type]}.json`,
      z.toJSONSchema(domainEventSchemas[type], { target: 'draft-2020-12' }) as JsonSchema,
    ]),
  );
}

/** How a schema file is written, so the generator and the staleness test agree byte for byte. */
export function jsonSchemaFileText(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
