// Writes schemas/<EventType>.v<version>.json, the published JSON Schema of each event type (DESIGN §8).
// From the repository root, after `npm run build`: node dist/scripts/generate-event-schemas.js [directory]
// Every version is written, past ones from the shapes the domain keeps for upcasting: consumers
// replaying the topic meet events in those versions, so their files stay published and checked.
// libs/domain/src/schemas/json-schemas.unit.spec.ts fails whenever these files and the domain disagree.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { eventJsonSchemas, jsonSchemaFileText } from '#domain';

const directory = resolve(process.argv[2] ?? 'schemas');
mkdirSync(directory, { recursive: true });
const schemas = Object.entries(eventJsonSchemas());
for (const [fileName, schema] of schemas) {
  writeFileSync(join(directory, fileName), jsonSchemaFileText(schema));
}
process.stdout.write(`wrote ${schemas.length} event schemas to ${directory}\n`);
