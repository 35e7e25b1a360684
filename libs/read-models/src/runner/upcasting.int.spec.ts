// WarningGiven v1 events, really on the topic beside v2 ones, project exactly as their v2 equivalents:
// the runner upcasts each event as it reads it, while the journal and the topic keep v1 as recorded
// (docs/adr/0007-event-schema-versions.md).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { cameoOfCode, currentSchemaVersion, type WarningGiven, type WarningGivenV1 } from '#domain';
import { createKafka, decodeEnvelope, type EventEnvelope, EventLogConsumer } from '#event-log';
import { type ProjectionHarness, startProjectionHarness, testBrokers, waitFor } from '#testing';
import { warningsProjection } from '../projections/developments/warnings/warnings.projection.js';
import { relationsProjection } from '../projections/relations/relations.projection.js';
import { timelineProjection } from '../projections/timeline/timeline.projection.js';

const provenance = {
  occurredAt: '2022-01-12',
  sources: [{ citation: 'IRNA quoting Reuters, 12 January 2022', outlet: 'IRNA', via: 'Reuters' }],
  confidence: 'reported' as const,
};

/**
 * The same warning for every case and version; only its parties and id carry the case's tag, so
 * each (case, version) has read-model rows of its own and they compare once the tag is masked.
 */
function warningFacts(tag: string) {
  return {
    warningId: tag,
    by: `${tag}.by`,
    to: [`${tag}.to1`, `${tag}.to2`],
    issue: 'nato-eastern-presence',
    condition: 'Russia uses force against Ukraine again',
    consequence: 'NATO will consider further increasing its military presence in the east',
    severity: 'high' as const,
  };
}

const cases = [
  { name: 'a military threat', tag: 'military', v1: { military: true }, v2: { kind: 'military' as const }, kind: 'military', cameo: '138' as const },
  { name: 'a threat recorded as not military', tag: 'not-military', v1: { military: false }, v2: {}, kind: null, cameo: '130' as const },
  { name: 'a threat whose report did not say', tag: 'unsaid', v1: {}, v2: {}, kind: null, cameo: '130' as const },
];


describe('WarningGiven v1 events on the topic', () => {
  let harness: ProjectionHarness;
  const v1Envelopes = new Map<string, EventEnvelope>();

  /** A v1 warning as the command API of that version wrote it: schema version 1, its cameo from `military`. */
  async function recordV1(tag: string, military: { military?: boolean }): Promise<EventEnvelope> {
    const data: WarningGivenV1['data'] = { ...warningFacts(tag), ...military };
    const outcome = await harness.journal.append({
      streamId: `warning-${tag}`,
      expectedVersion: 0,
      respond: () => null,
      events: [{
        eventId: randomUUID(), type: 'WarningGiven', schemaVersion: 1, ...provenance,
        cameo: cameoOfCode(data.military ? '138' : '130'), data, recordedBy: 'analyst', correlationId: randomUUID(), causationId: null,
      }],
    });
    if (outcome.kind !== 'appended') throw new Error('append was treated as a repeat');
    return outcome.events[0]!;
  }

  async function recordV2(tag: string, kind: { kind?: WarningGiven['data']['kind'] }): Promise<void> {
    const event: WarningGiven = { type: 'WarningGiven', schemaVersion: currentSchemaVersion.WarningGiven, ...provenance, data: { ...warningFacts(tag), ...kind } };
    await harness.append(`warning-${tag}`, [event]);
  }

  /** Everything the three read models hold for one tag's warning, minus what differs per append (ids, positions, times). */
  async function heldFor(tag: string) {
    const warnings = await harness.pool.query(
      `SELECT to_jsonb(w) - '{event_id,global_position,recorded_at}'::text[] AS row FROM warnings w WHERE id = $1`, [tag]);
    const timeline = await harness.pool.query(
      `SELECT to_jsonb(t) - '{event_id,global_position,recorded_at}'::text[] AS row FROM timeline t WHERE stream_id = $1`, [`warning-${tag}`]);
    const relations = await harness.pool.query(
      `SELECT to_jsonb(r) AS row FROM relations r WHERE starts_with(party_a, $1) ORDER BY party_a, party_b`, [`${tag}.`]);
    const held = { warnings: warnings.rows.map((r) => r.row), timeline: timeline.rows.map((r) => r.row), relations: relations.rows.map((r) => r.row) };
    return JSON.parse(JSON.stringify(held).replaceAll(tag, 'TAG')) as typeof held;
  }

  beforeAll(async () => {
    harness = await startProjectionHarness({ projections: [warningsProjection, timelineProjection, relationsProjection] });
    // Interleaved, so v1 and v2 events share the topic, its partitions and the runners' batches.
    for (const { tag, v1, v2 } of cases) {
      v1Envelopes.set(tag, await recordV1(`v1-${tag}`, v1));
      await recordV2(`v2-${tag}`, v2);
    }
    await harness.caughtUp();
  });
  afterAll(() => harness.stop());

  it('are on the topic as recorded: schema version 1, with `military` and no `kind`', async () => {
    const wanted = new Set([...v1Envelopes.values()].map((envelope) => envelope.eventId));
    const onTopic = new Map<string, { envelope: EventEnvelope; headers: Record<string, string> }>();
    const consumer = new EventLogConsumer(createKafka(testBrokers(), 'upcasting-topic-reader'), `${harness.topics.events}-reader-${randomUUID()}`);
    await new Promise<void>((resolve) => {
      void consumer.run({
        topic: harness.topics.events, fromBeginning: true,
        handleBatch: async (batch) => {
          for (const record of batch.records) {
            const envelope = decodeEnvelope(record.value);
            if (wanted.has(envelope.eventId)) onTopic.set(envelope.eventId, { envelope, headers: record.headers });
          }
          if (onTopic.size === wanted.size) resolve();
        },
      });
    });
    await consumer.stop();

    for (const { tag, v1 } of cases) {
      const recorded = v1Envelopes.get(tag)!;
      const { envelope, headers } = onTopic.get(recorded.eventId)!;
      expect(envelope).toEqual(recorded);
      expect(envelope.schemaVersion).toBe(1);
      expect(headers['schema-version']).toBe('1');
      expect(envelope.data).toEqual({ ...warningFacts(`v1-${tag}`), ...v1 });
      expect(envelope.data).not.toHaveProperty('kind');
    }
    // The journal, which GET /v1/events and /v1/streams/{id}/events serve, keeps them as recorded too.
    const [stored] = await harness.journal.readStream('warning-v1-military');
    expect(stored).toMatchObject({ schemaVersion: 1, data: { military: true } });
  });

  it.each(cases)('project $name in v1 exactly as its v2 equivalent: warnings, timeline and relations', async ({ tag, kind, cameo }) => {
    const fromV1 = await heldFor(`v1-${tag}`);
    const fromV2 = await heldFor(`v2-${tag}`);
    expect(fromV1).toEqual(fromV2);

    // And what they hold is the warning's meaning, not an empty match: its kind, CAMEO code and score.
    const { goldstein, quadClass } = cameoOfCode(cameo);
    expect(fromV1.warnings).toEqual([expect.objectContaining({ id: 'TAG', by: 'TAG.by', addressees: ['TAG.to1', 'TAG.to2'], kind })]);
    expect(fromV1.timeline).toEqual([expect.objectContaining({
      type: 'WarningGiven', parties: ['TAG.by', 'TAG.to1', 'TAG.to2'], cameo: cameoOfCode(cameo), goldstein,
      summary: 'if Russia uses force against Ukraine again: NATO will consider further increasing its military presence in the east',
    })]);
    expect(fromV1.relations).toEqual(['TAG.to1', 'TAG.to2'].map((counterpart) => ({
      party_a: 'TAG.by', party_b: counterpart, day: '2022-01-12', events: 1, goldstein_sum: goldstein,
      cooperation: quadClass <= 2 ? 1 : 0, conflict: quadClass >= 3 ? 1 : 0,
    })));
  });

  // Last: the set-aside event's stream never counts as applied, so `caughtUp()` would wait for it from here on.
  it('sets aside, naming its version, a WarningGiven newer than the runner knows, and projects the events after it', async () => {
    await harness.journal.append({
      streamId: 'warning-v3-cyber', expectedVersion: 0, respond: () => null,
      events: [{
        eventId: randomUUID(), type: 'WarningGiven', schemaVersion: 3, ...provenance, cameo: null,
        data: { ...warningFacts('v3-cyber'), kind: 'cyber' }, recordedBy: 'analyst', correlationId: randomUUID(), causationId: null,
      }],
    });
    await recordV2('v2-after-v3', { kind: 'economic' });
    const failures = () => harness.pool.query<{ projection: string; error: string }>('SELECT projection, error FROM projection_failures ORDER BY projection');
    await waitFor(async () => (await failures()).rowCount === 3);
    await waitFor(async () => (await harness.pool.query("SELECT 1 FROM warnings WHERE id = 'v2-after-v3'")).rowCount === 1);

    expect((await failures()).rows).toEqual(['relations', 'timeline', 'warnings'].map((projection) => ({
      projection, error: expect.stringContaining('WarningGiven v3: newer than this code knows (v2)'),
    })));
    expect((await heldFor('v3-cyber')).warnings).toEqual([]);
    expect((await heldFor('v3-cyber')).timeline).toEqual([]);
  });
});
