import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChanceryEvent, Stance } from '#domain';
import { development, type ProjectionHarness, startProjectionHarness } from '#testing';
import { type Instants, positionsOfParty, positionsOnIssue } from './positions-at.js';
import { positionsProjection } from './positions.projection.js';

const stated = (by: string, issue: string, stance: Stance, occurredAt: string, summary = `${by} ${stance} on ${issue}`) =>
  development('PositionStated', occurredAt, { by, issue, stance, summary });

const retraction = (retractedEventId: string, retractedEventType: ChanceryEvent['type'], retractedParties: string[]) =>
  development('EventRetracted', new Date().toISOString(), { retractedEventId, retractedEventType, retractedParties, reason: 'misreported' });

describe('positions projection', () => {
  let harness: ProjectionHarness;
  const now = (): Instants => ({ asOf: new Date().toISOString(), knownAt: new Date().toISOString() });

  beforeAll(async () => {
    harness = await startProjectionHarness({ projections: [positionsProjection] });
  });
  afterAll(() => harness.stop());

  /** The party's position on the issue, read from `positions` (at undefined) or from the history at `at`. */
  async function stanceOf(party: string, issue: string, at?: Partial<Instants>) {
    const positions = await positionsOfParty(harness.pool, party, at && { ...now(), ...at });
    return positions.find((position) => position.issue === issue);
  }

  /** The current table and the history read now must agree; a test asserting one checks both. */
  async function currentStanceOf(party: string, issue: string) {
    const current = await stanceOf(party, issue);
    expect(await stanceOf(party, issue, now())).toEqual(current);
    return current?.stance;
  }

  it('takes the latest stance by occurredAt, even when an older development is recorded after it', async () => {
    const [opposes] = await harness.append('party-USA', [stated('USA', 'nato-enlargement', 'opposes', '2022-01-14', 'no veto for Moscow')]);
    await harness.append('party-USA', [stated('USA', 'nato-enlargement', 'supports', '2022-01-10')]);
    await harness.caughtUp();

    expect(await stanceOf('USA', 'nato-enlargement')).toEqual({
      party: 'USA', issue: 'nato-enlargement', stance: 'opposes', summary: 'no veto for Moscow', since: '2022-01-14',
      basedOn: opposes!.eventId, sources: [{ citation: 'IRNA quoting Reuters, 12 January 2022', outlet: 'IRNA', via: 'Reuters' }],
    });
    expect(await currentStanceOf('USA', 'nato-enlargement')).toBe('opposes');
  });

  it('breaks a tie of occurredAt by journal order, across streams too; a date counts as its midnight UTC', async () => {
    await harness.append('party-RUS', [stated('RUS', 'nato-eastern-posture', 'opposes', '2022-01-12T00:00:00Z')]);
    await harness.append('demand-d-posture', [
      development('DemandIssued', '2022-01-12', {
        demandId: 'd-posture', by: 'RUS', addressedTo: ['NATO'], issue: 'nato-eastern-posture', summary: 'pull back to 1997 lines', terms: [],
      }),
    ]);
    await harness.caughtUp();
    expect(await currentStanceOf('RUS', 'nato-eastern-posture')).toBe('demands');

    await harness.append('party-RUS', [stated('RUS', 'nato-eastern-posture', 'conditional', '2022-01-12')]);
    await harness.caughtUp();
    expect(await currentStanceOf('RUS', 'nato-eastern-posture')).toBe('conditional');
  });

  it('falls back to the previous stance when the latest is retracted, and drops the position when none is left', async () => {
    await harness.append('party-GBR', [stated('GBR', 'sanctions', 'supports', '2022-01-10')]);
    const [latest] = await harness.append('party-GBR', [stated('GBR', 'sanctions', 'opposes', '2022-01-12')]);
    const [only] = await harness.append('party-GBR', [stated('GBR', 'arms-control', 'neutral', '2022-01-12')]);
    await harness.caughtUp();
    expect(await currentStanceOf('GBR', 'sanctions')).toBe('opposes');

    await harness.append('party-GBR', [retraction(latest!.eventId, 'PositionStated', ['GBR'])]);
    await harness.append('party-GBR', [retraction(only!.eventId, 'PositionStated', ['GBR'])]);
    await harness.caughtUp();
    expect(await currentStanceOf('GBR', 'sanctions')).toBe('supports');
    expect(await currentStanceOf('GBR', 'arms-control')).toBeUndefined();
  });

  it('falls back to the stance before a demand once the demand is withdrawn, and back to the demand when the withdrawal is retracted', async () => {
    await harness.append('party-RUS', [stated('RUS', 'ukraine-nato-membership', 'opposes', '2022-01-05')]);
    const [issued] = await harness.append('demand-d-ukr', [
      development('DemandIssued', '2022-01-10', {
        demandId: 'd-ukr', by: 'RUS', addressedTo: ['NATO', 'USA'], issue: 'ukraine-nato-membership', summary: 'no NATO membership for Ukraine', terms: [],
      }),
      development('DemandRejected', '2022-01-12', {
        demandId: 'd-ukr', by: 'NATO', issuer: 'RUS', addressedTo: ['NATO', 'USA'], issue: 'ukraine-nato-membership',
      }),
    ]);
    await harness.caughtUp();
    expect(await currentStanceOf('RUS', 'ukraine-nato-membership')).toBe('demands');

    const [withdrawn] = await harness.append('demand-d-ukr', [
      development('DemandWithdrawn', '2022-01-20', { demandId: 'd-ukr', by: 'RUS', addressedTo: ['NATO', 'USA'], issue: 'ukraine-nato-membership' }),
    ]);
    await harness.caughtUp();
    expect(await currentStanceOf('RUS', 'ukraine-nato-membership')).toBe('opposes');
    // Before the withdrawal's valid time, and as known before it was recorded, the demand still stands.
    expect((await stanceOf('RUS', 'ukraine-nato-membership', { asOf: '2022-01-15T00:00:00Z' }))?.basedOn).toBe(issued!.eventId);
    expect((await stanceOf('RUS', 'ukraine-nato-membership', { knownAt: issued!.recordedAt }))?.stance).toBe('demands');
    // The withdrawal ends the issuer's stance only: NATO's rejection stands (DESIGN §5: an answer sets `rejects` on the demand's issue).
    expect(await currentStanceOf('NATO', 'ukraine-nato-membership')).toBe('rejects');

    await harness.append('demand-d-ukr', [retraction(withdrawn!.eventId, 'DemandWithdrawn', ['RUS', 'NATO', 'USA'])]);
    await harness.caughtUp();
    expect(await currentStanceOf('RUS', 'ukraine-nato-membership')).toBe('demands');
    // As known between the withdrawal and its retraction, the demand had ended.
    expect((await stanceOf('RUS', 'ukraine-nato-membership', { knownAt: withdrawn!.recordedAt }))?.stance).toBe('opposes');
  });

  it('asOf a date between two stances returns the earlier one', async () => {
    await harness.append('party-FRA', [stated('FRA', 'security-guarantees', 'open-to-discuss', '2022-01-10')]);
    await harness.append('party-FRA', [stated('FRA', 'security-guarantees', 'rejects', '2022-01-14T16:00:00+01:00')]);
    await harness.caughtUp();

    expect((await stanceOf('FRA', 'security-guarantees', { asOf: '2022-01-12T00:00:00.000Z' }))?.stance).toBe('open-to-discuss');
    expect((await stanceOf('FRA', 'security-guarantees', { asOf: '2022-01-14T15:00:00.000Z' }))?.stance).toBe('rejects');
    expect((await stanceOf('FRA', 'security-guarantees', { asOf: '2022-01-09T00:00:00.000Z' }))).toBeUndefined();
  });

  it('knownAt before a late-recorded development with a later occurredAt returns the stance known then', async () => {
    const [known] = await harness.append('party-DEU', [stated('DEU', 'nord-stream', 'supports', '2022-01-10')]);
    await harness.append('party-DEU', [stated('DEU', 'nord-stream', 'conditional', '2022-01-14')]);
    await harness.caughtUp();

    expect((await stanceOf('DEU', 'nord-stream', { knownAt: known!.recordedAt }))?.stance).toBe('supports');
    expect(await currentStanceOf('DEU', 'nord-stream')).toBe('conditional');
  });

  it('knownAt before a late-recorded development with an earlier occurredAt does not see it at any valid time', async () => {
    const [known] = await harness.append('party-POL', [stated('POL', 'nato-eastern-posture', 'demands', '2022-01-14')]);
    await harness.append('party-POL', [stated('POL', 'nato-eastern-posture', 'supports', '2022-01-10')]);
    await harness.caughtUp();

    expect(await stanceOf('POL', 'nato-eastern-posture', { asOf: '2022-01-12T00:00:00.000Z', knownAt: known!.recordedAt })).toBeUndefined();
    expect((await stanceOf('POL', 'nato-eastern-posture', { asOf: '2022-01-12T00:00:00.000Z' }))?.stance).toBe('supports');
    expect((await stanceOf('POL', 'nato-eastern-posture', { knownAt: known!.recordedAt }))?.stance).toBe('demands');
  });

  it('still sees a retracted development as known before its retraction', async () => {
    await harness.append('party-ITA', [stated('ITA', 'sanctions', 'neutral', '2022-01-10')]);
    const [misquoted] = await harness.append('party-ITA', [stated('ITA', 'sanctions', 'opposes', '2022-01-12')]);
    const [retracted] = await harness.append('party-ITA', [retraction(misquoted!.eventId, 'PositionStated', ['ITA'])]);
    await harness.caughtUp();

    expect((await stanceOf('ITA', 'sanctions', { knownAt: misquoted!.recordedAt }))?.basedOn).toBe(misquoted!.eventId);
    expect((await stanceOf('ITA', 'sanctions', { knownAt: retracted!.recordedAt }))?.stance).toBe('neutral');
    expect(await currentStanceOf('ITA', 'sanctions')).toBe('neutral');
  });

  it('lists every party\'s position on an issue, now and as of a date', async () => {
    await harness.append('party-ESP', [stated('ESP', 'energy-security', 'supports', '2022-01-10')]);
    await harness.append('party-NLD', [stated('NLD', 'energy-security', 'opposes', '2022-01-10')]);
    await harness.append('proposal-p-energy', [
      development('ProposalMade', '2022-01-11', { proposalId: 'p-energy', by: 'NLD', to: ['ESP'], issue: 'energy-security', summary: 'a joint gas reserve' }),
      development('ProposalAccepted', '2022-01-13', { proposalId: 'p-energy', by: 'ESP', proposer: 'NLD', to: ['ESP'], issue: 'energy-security' }),
    ]);
    await harness.caughtUp();

    const summaries = (positions: Awaited<ReturnType<typeof positionsOnIssue>>) =>
      positions.map(({ party, stance, summary, since }) => ({ party, stance, summary, since }));
    const current = await positionsOnIssue(harness.pool, 'energy-security');
    expect(summaries(current)).toEqual([
      { party: 'ESP', stance: 'accepts', summary: "ESP accepted NLD's proposal", since: '2022-01-13' },
      { party: 'NLD', stance: 'proposes', summary: 'a joint gas reserve', since: '2022-01-11' },
    ]);
    expect(await positionsOnIssue(harness.pool, 'energy-security', now())).toEqual(current);
    expect(summaries(await positionsOnIssue(harness.pool, 'energy-security', { ...now(), asOf: '2022-01-12T00:00:00.000Z' }))).toEqual([
      { party: 'ESP', stance: 'supports', summary: 'ESP supports on energy-security', since: '2022-01-10' },
      { party: 'NLD', stance: 'proposes', summary: 'a joint gas reserve', since: '2022-01-11' },
    ]);
  });
});
