// Deterministic replay (DESIGN §4) as a property: for random command sequences sent through the HTTP
// API, sometimes several at once, rebuilding every projection from offset 0 (a fresh projector
// process, into a database of its own, with consumer groups of its own) gives tables identical to
// the live ones, which were built batch by batch while the commands arrived.
//
// Commands are generated as intentions ("answer the 3rd demand as its 2nd addressee") and resolved
// against what the run has created so far; the deciders refuse the ones that do not hold (a repeated
// answer, a retraction of a retraction, …) with a 4xx, and those change nothing, as they must. An
// addressee answers again with another answer, sometimes dated before its standing one.
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createKafka } from '#event-log';
import { waitUntilCaughtUp } from '#read-models';
import {
  client, type Client, createTestDatabase, rowCount, snapshotReadModels, spawnApp, startTestApp, type TestApp, testBrokers,
} from '#testing';
import { standaloneModule } from '../../apps/standalone/src/standalone.module.js';

const adminKey = 'rebuild-property-admin-key-00';
const partitions = 3;
const parties = ['RUS', 'NATO', 'USA', 'UKR', 'OSCE', 'CHN'];
const issues = ['ukraine-nato-membership', 'missile-deployment', 'military-exercises'];
const stances = ['demands', 'proposes', 'supports', 'accepts', 'open-to-discuss', 'conditional', 'neutral', 'opposes', 'rejects'];
const severities = ['low', 'medium', 'high', 'critical'];
/** CAMEO codes of developments without a lifecycle, from each quad class. */
const cameoCodes = ['0234', '042', '073', '0841', '1122', '1312', '145', '163', '173', '193'];

/** Valid time: a day of early 2022 (many ties on purpose), sometimes with a time of day and an offset. */
const when = fc.record({ day: fc.integer({ min: 0, max: 30 }), minute: fc.option(fc.integer({ min: 0, max: 1439 })), offset: fc.constantFrom('Z', '+03:00', '-05:00') })
  .map(({ day, minute, offset }) => {
    const date = new Date(Date.UTC(2022, 0, 1 + day)).toISOString().slice(0, 10);
    if (minute === null) return date;
    return `${date}T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00${offset}`;
  });
const party = fc.nat(parties.length - 1);
const someParties = (min: number) => fc.uniqueArray(party, { minLength: min, maxLength: 3 });
const issue = fc.nat(issues.length - 1);
/** Picks among the parties a development is about first, then anyone: mostly valid, sometimes not. */
const who = fc.nat(11);

const step = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('statement' as const), by: party, issue, stance: fc.constantFrom(...stances), at: when }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('demand' as const), by: party, to: someParties(1), issue, at: when }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('answer-demand' as const), demand: fc.nat(), answer: fc.constantFrom('rejections', 'rejections', 'acceptances', 'withdrawals'), who, at: when }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('meeting' as const), participants: someParties(2), negotiation: fc.boolean(), issues: fc.uniqueArray(issue, { maxLength: 2 }), at: when }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('schedule' as const), participants: someParties(2), inDays: fc.integer({ min: 1, max: 20 }), at: when }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('meeting-outcome' as const), meeting: fc.nat(), held: fc.boolean(), who, at: when }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('warning' as const), by: party, to: someParties(1), issue: fc.option(issue), severity: fc.constantFrom(...severities), military: fc.boolean(), at: when }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('proposal' as const), by: party, to: someParties(1), issue: fc.option(issue), at: when }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('answer-proposal' as const), proposal: fc.nat(), answer: fc.constantFrom('declines', 'acceptances'), who, at: when }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('coded' as const), by: party, to: someParties(1), cameo: fc.constantFrom(...cameoCodes), issue: fc.option(issue), at: when }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('retraction' as const), development: fc.nat(), sourced: fc.option(when) }) },
);
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

const history = fc.record({
  steps: fc.array(step, { minLength: 120, maxLength: 200 }),
  /** How many commands are in flight at once: the same history can interleave differently. */
  concurrency: fc.integer({ min: 1, max: 4 }),
});

type Created = {
  demands: Array<{ id: string; by: string; addressedTo: string[] }>;
  meetings: Array<{ id: string; participants: string[] }>;
  proposals: Array<{ id: string; by: string; to: string[] }>;
  developments: string[];
};

function pick<T>(items: readonly T[], index: number): T | undefined {
  return items.length === 0 ? undefined : items[index % items.length];
}

/** The HTTP request a step stands for, given what exists so far; undefined when it names nothing yet. */
function request(step: Step, created: Created, serial: number): { path: string; body: Record<string, unknown>; remember?: (id: string, eventIds: string[]) => void } | undefined {
  const provenance = (at: string) => ({ occurredAt: at, sources: [{ citation: `property step ${serial}`, outlet: 'fast-check' }], confidence: 'reported' });
  const involved = (about: string[], index: number) => (index < about.length * 2 ? about[index % about.length]! : parties[index % parties.length]!);
  const development = (eventIds: string[]) => created.developments.push(...eventIds);
  switch (step.kind) {
    case 'statement':
      return { path: '/v1/statements', body: { by: parties[step.by], issue: issues[step.issue], stance: step.stance, summary: `stance ${serial}`, ...provenance(step.at) },
        remember: (_id, eventIds) => development(eventIds) };
    case 'demand': {
      const demand = { id: `d${serial}`, by: parties[step.by]!, addressedTo: step.to.map((index) => parties[index]!) };
      return { path: '/v1/demands', body: { ...demand, issue: issues[step.issue], summary: `demand ${serial}`, ...provenance(step.at) },
        remember: (_id, eventIds) => {
          created.demands.push(demand);
          development(eventIds);
        } };
    }
    case 'answer-demand': {
      const demand = pick(created.demands, step.demand);
      if (!demand) return undefined;
      const by = step.answer === 'withdrawals' ? involved([demand.by], step.who) : involved(demand.addressedTo, step.who);
      return { path: `/v1/demands/${demand.id}/${step.answer}`, body: { by, ...provenance(step.at) }, remember: (_id, eventIds) => development(eventIds) };
    }
    case 'meeting': {
      const participants = step.participants.map((index) => parties[index]!);
      return { path: '/v1/meetings', body: { id: `m${serial}`, title: `meeting ${serial}`, participants, format: step.negotiation ? 'talks' : 'consultation',
        issues: step.issues.map((index) => issues[index]), ...provenance(step.at) }, remember: (_id, eventIds) => development(eventIds) };
    }
    case 'schedule': {
      const meeting = { id: `s${serial}`, participants: step.participants.map((index) => parties[index]!) };
      const scheduledFor = new Date(Date.parse(step.at.slice(0, 10)) + step.inDays * 86_400_000).toISOString().slice(0, 10);
      return { path: '/v1/meetings/scheduled', body: { ...meeting, title: `meeting ${serial}`, scheduledFor, ...provenance(step.at) },
        remember: (_id, eventIds) => {
          created.meetings.push(meeting);
          development(eventIds);
        } };
    }
    case 'meeting-outcome': {
      const meeting = pick(created.meetings, step.meeting);
      if (!meeting) return undefined;
      return step.held
        ? { path: `/v1/meetings/${meeting.id}/held`, body: { outcome: `outcome ${serial}`, ...provenance(step.at) }, remember: (_id, eventIds) => development(eventIds) }
        : { path: `/v1/meetings/${meeting.id}/cancellations`, body: { by: involved(meeting.participants, step.who), ...provenance(step.at) }, remember: (_id, eventIds) => development(eventIds) };
    }
    case 'warning':
      return { path: '/v1/warnings', body: {
        id: `w${serial}`, by: parties[step.by], to: step.to.map((index) => parties[index]), ...(step.issue === null ? {} : { issue: issues[step.issue] }),
        consequence: `consequence ${serial}`, severity: step.severity, kind: step.military ? 'military' : 'diplomatic', ...provenance(step.at),
      }, remember: (_id, eventIds) => development(eventIds) };
    case 'proposal': {
      const proposal = { id: `p${serial}`, by: parties[step.by]!, to: step.to.map((index) => parties[index]!) };
      return { path: '/v1/proposals', body: { ...proposal, ...(step.issue === null ? {} : { issue: issues[step.issue] }), summary: `proposal ${serial}`, ...provenance(step.at) },
        remember: (_id, eventIds) => {
          created.proposals.push(proposal);
          development(eventIds);
        } };
    }
    case 'answer-proposal': {
      const proposal = pick(created.proposals, step.proposal);
      if (!proposal) return undefined;
      return { path: `/v1/proposals/${proposal.id}/${step.answer}`, body: { by: involved(proposal.to, step.who), ...provenance(step.at) }, remember: (_id, eventIds) => development(eventIds) };
    }
    case 'coded':
      return { path: '/v1/developments', body: {
        id: `x${serial}`, by: parties[step.by], to: step.to.map((index) => parties[index]), cameo: step.cameo,
        ...(step.issue === null ? {} : { issue: issues[step.issue] }), summary: `development ${serial}`, ...provenance(step.at),
      }, remember: (_id, eventIds) => development(eventIds) };
    case 'retraction': {
      const eventId = pick(created.developments, step.development);
      if (!eventId) return undefined;
      // Sometimes a correction with its own provenance, as a source made it.
      const sourced = step.sourced === null ? {} : { occurredAt: step.sourced, sources: [{ citation: `denial at step ${serial}` }] };
      return { path: `/v1/events/${eventId}/retractions`, body: { reason: `retracted at step ${serial}`, ...sourced } };
    }
  }
}

/** Registered first in every run, so that most generated developments name parties and issues that exist. */
const registrations = [
  ...parties.map((id) => ({ path: '/v1/parties', body: { id, name: `Party ${id}`, kind: ['NATO', 'OSCE'].includes(id) ? 'organization' : 'state' } })),
  ...issues.map((id) => ({ path: '/v1/issues', body: { id, title: `Issue ${id}` } })),
];

/** Every live projection's checkpoints have reached the end of every partition that has records. */
async function caughtUpWithTopic(pool: pg.Pool, ends: Map<number, bigint>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows: live } = await pool.query<{ projection: string; version: number }>('SELECT projection, version FROM projection_status WHERE is_live');
    const { rows: checkpoints } = await pool.query<{ projection: string; version: number; partition: number; next_offset: string }>(
      `SELECT c.projection, c.version, c.partition, c.next_offset FROM projection_checkpoints c
       JOIN projection_status s ON s.projection = c.projection AND s.version = c.version AND s.is_live`);
    const done = live.length > 0 && live.every((generation) => [...ends].every(([partition, end]) => {
      const checkpoint = checkpoints.find((row) => row.projection === generation.projection && row.version === generation.version && row.partition === partition);
      return BigInt(checkpoint?.next_offset ?? '0') >= end;
    }));
    if (done) return;
    if (Date.now() > deadline) throw new Error('the rebuilding projector did not reach the end of the topic');
    await sleep(50);
  }
}

describe('rebuilding every projection from offset 0', () => {
  const runs: Array<{ commands: number; accepted: number; events: number; rows: number }> = [];
  // A stack takes seconds to shut down (every consumer leaves its group); the next run need not wait.
  const teardowns: Array<Promise<void>> = [];

  afterAll(async () => {
    await Promise.all(teardowns);
    process.stderr.write(`rebuild-equals-live runs (commands, accepted, events, read-model rows): ${runs.map((run) => `${run.commands}/${run.accepted}/${run.events}/${run.rows}`).join(', ')}\n`);
  });

  it('gives tables identical to the live ones, whatever valid commands came through the API and however they interleaved', async () => {
    await fc.assert(fc.asyncProperty(history, async ({ steps, concurrency }) => {
      const served: TestApp = await startTestApp(standaloneModule, { CHANCERY_BOOTSTRAP_ADMIN_KEY: adminKey, CHANCERY_EVENT_PARTITIONS: String(partitions) });
      const livePool = new pg.Pool({ connectionString: served.database.url });
      livePool.on('error', () => {});
      const rebuilt = await createTestDatabase();
      const rebuiltPool = new pg.Pool({ connectionString: rebuilt.url });
      rebuiltPool.on('error', () => {});
      let projector: ReturnType<typeof spawnApp> | undefined;
      try {
        const writer: Client = client(served.baseUrl, adminKey);
        for (const registration of registrations) expect((await writer.post(registration.path, registration.body)).status).toBe(201);

        const created: Created = { demands: [], meetings: [], proposals: [], developments: [] };
        let accepted = 0;
        for (let start = 0; start < steps.length; start += concurrency) {
          await Promise.all(steps.slice(start, start + concurrency).map(async (next, offset) => {
            const call = request(next, created, start + offset);
            if (!call) return;
            const response = await writer.post(call.path, call.body);
            expect(response.status).toBeLessThan(500);
            if (response.status !== 201) return;
            accepted++;
            call.remember?.(response.body.id, response.body.eventIds);
          }));
        }
        await waitUntilCaughtUp(livePool, 60_000);

        const topic = `${served.config.kafka.topicPrefix}.events`;
        const admin = createKafka(testBrokers(), 'rebuild-property').admin();
        await admin.connect();
        const ends = new Map((await admin.fetchTopicOffsets(topic)).map((offsets) => [offsets.partition, BigInt(offsets.high)]));
        await admin.disconnect();

        projector = spawnApp('projector', {
          DATABASE_URL: rebuilt.url, KAFKA_BROKERS: testBrokers().join(','), CHANCERY_TOPIC_PREFIX: served.config.kafka.topicPrefix,
          CHANCERY_EVENT_PARTITIONS: String(partitions), CHANCERY_CONSUMER_GROUP_PREFIX: `${served.config.kafka.topicPrefix}-rebuild`,
        });
        await caughtUpWithTopic(rebuiltPool, ends);

        const live = await snapshotReadModels(livePool);
        const fromOffsetZero = await snapshotReadModels(rebuiltPool);
        const events = (await livePool.query('SELECT count(*)::int AS n FROM journal')).rows[0].n;
        runs.push({ commands: steps.length, accepted, events, rows: rowCount(live) });
        // Most generated commands hold: the property is about real histories, not refusals.
        expect(accepted).toBeGreaterThan(steps.length / 3);
        expect(fromOffsetZero).toEqual(live);
      } finally {
        // Its tables are all there is to keep: nothing to shut down gracefully.
        await projector?.kill('SIGKILL');
        teardowns.push((async () => {
          await livePool.end();
          await rebuiltPool.end();
          await rebuilt.drop();
          await served.close();
        })());
      }
    }), { numRuns: 5 });
  }, 240_000);
});
