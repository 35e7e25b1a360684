import { describe, expect, it } from '@jest/globals';
// eslint-disable-next-line no-restricted-imports -- a test, not the domain: it compares the published files with the domain's schemas
import { readFileSync, readdirSync } from 'node:fs';
import { chanceryEventTypes, currentSchemaVersion, domainEventSchemas, eventSchemas } from '../events.js';
import { exampleEvents } from '../scenario.js';
import { eventJsonSchemas, jsonSchemaFileText } from './json-schemas.js';

const published = new URL('../../../../schemas/', import.meta.url);
const publishedFiles = readdirSync(published).filter((name) => name.endsWith('.json'));
const generated = eventJsonSchemas();

describe('published event schemas', () => {
  it('publish a schema for every version of every event type, past versions included', () => {
    const everyVersion = chanceryEventTypes.flatMap((type) =>
      Array.from({ length: currentSchemaVersion[type] }, (_, index) => `${type}.v${index + 1}.json`));
    expect(Object.keys(generated).sort()).toEqual(everyVersion.sort());
    expect(publishedFiles.sort()).toEqual(everyVersion);
  });

  it('describe WarningGiven as each version recorded it: v1 with a military flag, v2 with a kind', () => {
    type WarningSchema = { $id: string; properties: { schemaVersion: { const: number }; data: { properties: Record<string, unknown> } } };
    const [v1, v2] = [generated['WarningGiven.v1.json'] as WarningSchema, generated['WarningGiven.v2.json'] as WarningSchema];
    expect(v1.$id).toBe('https://chancery.dev/schemas/WarningGiven.v1.json');
    expect(v1.properties.schemaVersion.const).toBe(1);
    expect(v1.properties.data.properties.military).toEqual({ type: 'boolean' });
    expect(v1.properties.data.properties).not.toHaveProperty('kind');
    expect(v2.$id).toBe('https://chancery.dev/schemas/WarningGiven.v2.json');
    expect(v2.properties.schemaVersion.const).toBe(2);
    expect(v2.properties.data.properties.kind).toMatchObject({ enum: ['military', 'economic', 'diplomatic', 'other'] });
    expect(v2.properties.data.properties).not.toHaveProperty('military');
  });

  // Regenerate with `npm run build && node dist/scripts/generate-event-schemas.js` when this fails.
  it.each(Object.keys(generated))('schemas/%s is what the domain generates', (fileName) => {
    expect(readFileSync(new URL(fileName, published), 'utf8')).toBe(jsonSchemaFileText(generated[fileName]!));
  });

  it('hold nothing but current and older versions of known event types', () => {
    const strays = publishedFiles.filter((fileName) => {
      const match = /^(\w+)\.v(\d+)\.json$/.exec(fileName);
      const type = match?.[1] as keyof typeof currentSchemaVersion | undefined;
      return !match || !type || !(type in currentSchemaVersion) || Number(match[2]) > currentSchemaVersion[type];
    });
    expect(strays).toEqual([]);
  });

  it('state the rules a refinement states in zod: at least one source, each with a url or a citation', () => {
    const demandIssued = generated['DemandIssued.v1.json'] as { properties: { sources: { minItems?: number; items: { anyOf: unknown } } } };
    expect(demandIssued.properties.sources.minItems).toBe(1);
    expect(demandIssued.properties.sources.items.anyOf).toEqual([{ required: ['url'] }, { required: ['citation'] }]);
    const partyRegistered = generated['PartyRegistered.v1.json'] as { properties: { sources: { minItems?: number } } };
    expect(partyRegistered.properties.sources.minItems).toBeUndefined();
  });
});

describe('event schemas', () => {
  it.each(chanceryEventTypes)('accept a %s as deciders write it', (type) => {
    expect(domainEventSchemas[type].safeParse(exampleEvents[type]).error).toBeUndefined();
    expect(eventSchemas[type].safeParse(exampleEvents[type].data).error).toBeUndefined();
  });

  it.each(chanceryEventTypes)('refuse a %s with a field its version does not have', (type) => {
    const event = exampleEvents[type];
    expect(eventSchemas[type].safeParse({ ...event.data, surprise: true }).success).toBe(false);
    expect(domainEventSchemas[type].safeParse({ ...event, surprise: true }).success).toBe(false);
  });

  it('refuse a development without a source, but not a registration', () => {
    expect(domainEventSchemas.DemandIssued.safeParse({ ...exampleEvents.DemandIssued, sources: [] }).success).toBe(false);
    expect(domainEventSchemas.PartyRegistered.safeParse({ ...exampleEvents.PartyRegistered, sources: [] }).success).toBe(true);
  });

  it('refuse an event of another schema version', () => {
    expect(domainEventSchemas.DemandIssued.safeParse({ ...exampleEvents.DemandIssued, schemaVersion: 2 }).success).toBe(false);
  });
});
