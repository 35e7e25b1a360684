import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { cameoOf } from './developments.js';
import { type ChanceryEvent, chanceryEventTypes, domainEventSchemas } from './events.js';
import { reuters } from './scenario.js';
import { domainEventSchemaAt, pastSchemaVersions, schemaVersionsOf, UnknownSchemaVersion, upcast, upcastWith, type VersionedEvent } from './upcasting.js';
import { type WarningGivenV1 } from './warnings/warning.events.js';

/** NATO's warning of 12 January 2022 as the first version of the schema recorded it. */
function warningV1(data: Partial<WarningGivenV1['data']> = {}): WarningGivenV1 & VersionedEvent {
  return {
    type: 'WarningGiven',
    schemaVersion: 1,
    occurredAt: '2022-01-12',
    sources: [reuters],
    confidence: 'reported',
    data: {
      warningId: 'eastern-flank',
      by: 'NATO',
      to: ['RUS'],
      issue: 'nato-eastern-presence',
      condition: 'if Russia uses force against Ukraine again',
      consequence: 'NATO will consider further increasing its military presence in the east of the alliance',
      severity: 'high',
      note: 'Stoltenberg after the NATO-Russia Council',
      ...data,
    },
  };
}

const unchangedFields = {
  warningId: 'eastern-flank',
  by: 'NATO',
  to: ['RUS'],
  issue: 'nato-eastern-presence',
  condition: 'if Russia uses force against Ukraine again',
  consequence: 'NATO will consider further increasing its military presence in the east of the alliance',
  severity: 'high',
  note: 'Stoltenberg after the NATO-Russia Council',
};

/** The upcast event as a whole: what a decider folds or a projection applies. */
function asCurrent(event: WarningGivenV1 & VersionedEvent): ChanceryEvent {
  return { ...event, ...upcast(event) } as ChanceryEvent;
}

describe('upcasting WarningGiven v1 to v2', () => {
  it('reads a v1 military threat as a v2 warning of kind military, scored as a military threat (CAMEO 138)', () => {
    const event = warningV1({ military: true });
    expect(upcast(event)).toEqual({ type: 'WarningGiven', schemaVersion: 2, data: { ...unchangedFields, kind: 'military' } });
    expect(cameoOf(asCurrent(event))).toMatchObject({ code: '138', goldstein: -7 });
  });

  it('reads a v1 warning marked not military as a v2 warning with no kind (CAMEO 130)', () => {
    const event = warningV1({ military: false });
    expect(upcast(event)).toEqual({ type: 'WarningGiven', schemaVersion: 2, data: unchangedFields });
    expect(cameoOf(asCurrent(event))).toMatchObject({ code: '130', goldstein: -4.4 });
  });

  it('reads a v1 warning that does not say whether it is military as a v2 warning with no kind', () => {
    const event = warningV1();
    expect(upcast(event)).toEqual({ type: 'WarningGiven', schemaVersion: 2, data: unchangedFields });
  });

  it('keeps the fields a v1 warning leaves out absent, rather than present and undefined', () => {
    const { issue: _issue, condition: _condition, note: _note, ...bare } = warningV1({ military: true }).data;
    const upcastData = upcast({ type: 'WarningGiven', schemaVersion: 1, data: bare }).data;
    expect(Object.keys(upcastData).sort()).toEqual(['by', 'consequence', 'kind', 'severity', 'to', 'warningId']);
  });

  it.each([[{ military: true }], [{ military: false }], [{}]])('turns a valid v1 event %j into a valid v2 event, as deciders write it', (military) => {
    const event = warningV1(military);
    expect(domainEventSchemaAt('WarningGiven', 1).safeParse(event).error).toBeUndefined();
    expect(domainEventSchemas.WarningGiven.safeParse(asCurrent(event)).error).toBeUndefined();
  });

  it('leaves the recorded event as it was', () => {
    const event = warningV1({ military: true });
    const copy = structuredClone(event);
    upcast(event);
    expect(event).toEqual(copy);
  });
});

describe('upcasting the answers of v1 to v2', () => {
  const demandAnswer = { demandId: 'security-guarantees', by: 'NATO', reason: 'open door', issuer: 'RUS', addressedTo: ['USA', 'NATO'], issue: 'ukraine-nato-membership' };
  const proposalAnswer = { proposalId: 'missile-talks', by: 'RUS', proposer: 'NATO', to: ['RUS'] };

  // A v1 answer was its party's first standing answer: v1 deciders refused a second one.
  it.each([
    ['DemandRejected', demandAnswer], ['DemandAccepted', demandAnswer], ['ProposalDeclined', proposalAnswer], ['ProposalAccepted', proposalAnswer],
  ] as const)('reads a v1 %s as a v2 answer that supersedes none, its data unchanged', (type, data) => {
    const recorded = { type, schemaVersion: 1, occurredAt: '2022-01-12', sources: [reuters], data };
    expect(domainEventSchemaAt(type, 1).safeParse(recorded).error).toBeUndefined();
    const current = { ...recorded, ...upcast(recorded) };
    expect(current).toEqual({ ...recorded, schemaVersion: 2 });
    expect(domainEventSchemas[type].safeParse(current).error).toBeUndefined();
    expect(cameoOf(current as ChanceryEvent)).toEqual(cameoOf({ ...recorded, schemaVersion: 2 } as ChanceryEvent));
  });

  it('refuses `supersedes` in a v1 answer: that version could not say it', () => {
    const withSupersedes = { type: 'DemandAccepted', schemaVersion: 1, occurredAt: '2022-01-12', sources: [reuters],
      data: { ...demandAnswer, supersedes: { eventId: 'demand-security-guarantees/2', answer: 'rejected' } } };
    expect(domainEventSchemaAt('DemandAccepted', 1).safeParse(withSupersedes).success).toBe(false);
  });
});

describe('upcast', () => {
  it('returns an event of the current version unchanged', () => {
    const event = { type: 'WarningGiven', schemaVersion: 2, data: { ...unchangedFields, kind: 'economic' } };
    expect(upcast(event)).toEqual(event);
    const statement = { type: 'PositionStated', schemaVersion: 1, data: { by: 'FRA', issue: 'ukraine-nato-membership', stance: 'open-to-discuss', summary: 'Open' } };
    expect(upcast(statement)).toEqual(statement);
  });

  it('refuses, naming the type and both versions, an event newer than this code knows', () => {
    const future = { type: 'WarningGiven', schemaVersion: 3, data: { ...unchangedFields, kind: 'cyber' } };
    expect(() => upcast(future)).toThrow(UnknownSchemaVersion);
    expect(() => upcast(future)).toThrow('WarningGiven v3: newer than this code knows (v2)');
    expect(() => upcast({ type: 'DemandIssued', schemaVersion: 2, data: {} })).toThrow('DemandIssued v2: newer than this code knows (v1)');
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a schema version that cannot be one: %p', (schemaVersion) => {
    expect(() => upcast({ type: 'WarningGiven', schemaVersion, data: {} })).toThrow(UnknownSchemaVersion);
  });

  it('passes an event type this code does not know through untouched, for its reader to ignore', () => {
    const unknown = { type: 'SanctionsImposed', schemaVersion: 7, data: { by: 'USA' } };
    expect(upcast(unknown)).toEqual(unknown);
    expect(upcast({ type: 'constructor', schemaVersion: 1, data: {} })).toEqual({ type: 'constructor', schemaVersion: 1, data: {} });
  });
});

describe('the registry of past versions', () => {
  it.each(chanceryEventTypes)('has an upcaster and a schema for every past version of %s', (type) => {
    for (const version of schemaVersionsOf(type).slice(0, -1)) {
      expect(pastSchemaVersions[type]?.[version]).toEqual({ data: expect.anything(), toNext: expect.any(Function) });
    }
    expect(Object.keys(pastSchemaVersions[type] ?? {}).map(Number)).toEqual(schemaVersionsOf(type).slice(0, -1));
  });

  it('chains upcasters one version at a time until the current version', () => {
    // Two past versions of a type, as a later bump of WarningGiven would leave them: 1 → 2 → 3.
    const calls: string[] = [];
    const past = {
      WarningGiven: {
        1: { data: z.object({}), toNext: (data: Record<string, unknown>) => (calls.push('1→2'), { ...data, second: true }) },
        2: { data: z.object({}), toNext: (data: Record<string, unknown>) => (calls.push('2→3'), { ...data, third: true }) },
      },
    };
    const current = { WarningGiven: 3 };
    expect(upcastWith({ type: 'WarningGiven', schemaVersion: 1, data: { first: true } }, past, current)).toEqual({
      type: 'WarningGiven', schemaVersion: 3, data: { first: true, second: true, third: true },
    });
    expect(calls).toEqual(['1→2', '2→3']);
    expect(upcastWith({ type: 'WarningGiven', schemaVersion: 2, data: {} }, past, current)).toEqual({
      type: 'WarningGiven', schemaVersion: 3, data: { third: true },
    });
    expect(() => upcastWith({ type: 'WarningGiven', schemaVersion: 1, data: {} }, { WarningGiven: { 2: past.WarningGiven[2] } }, current))
      .toThrow('WarningGiven v1: no upcaster to v2');
  });
});
