// Writes schemas/<EventType>.v<version>.json, the published JSON Schema of each event type (DESIGN §8).
// From the repository root, after `npm run build`: node dist/scripts/generate-event-schemas.js [directory]
// Files of older versions are left in place: readers of old events still need them.
// libs/domain/src/schemas/json-schemas.unit.spec.ts fails whenever these files and the domain disagree.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { eventJsonSchemas, jsonSchemaFileText } from '#domain';

const directory = resolve(process.argv[2] ?? 'schemas');
mkdirSync(directory, { recursive: true });
for (const [fileName, schema] of Object.entries(eventJsonSchemas())) {
  writeFileSync(join(directory, fileName), jsonSchemaFileText(schema));
}
process.stdout.write(`wrote ${Object.keys(eventJsonSchemas()).length} event schemas to ${directory}\n`);
