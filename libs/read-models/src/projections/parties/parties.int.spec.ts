import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { development, type ProjectionHarness, startProjectionHarness } from '#testing';
import { partiesProjection } from './parties.projection.js';

describe('parties projection', () => {
  let harness: ProjectionHarness;
  beforeAll(async () => {
    harness = await startProjectionHarness({ projections: [partiesProjection] });
  });
  afterAll(() => harness.stop());

  it('lists registered parties with their memberships and whom a person represents, and issues with their description', async () => {
    const [nato] = await harness.append('party-NATO', [
      development('PartyRegistered', '2022-01-01T08:00:00Z', { partyId: 'NATO', name: 'North Atlantic Treaty Organization', kind: 'organization', memberOf: [] }),
    ]);
    await harness.append('party-USA', [
      development('PartyRegistered', '2022-01-01T08:00:00Z', { partyId: 'USA', name: 'United States', kind: 'state', memberOf: ['NATO'] }),
    ]);
    await harness.append('party-sherman', [
      development('PartyRegistered', '2022-01-01T08:00:00Z', {
        partyId: 'sherman', name: 'Wendy Sherman', kind: 'person', memberOf: [], represents: 'USA', role: 'Deputy Secretary of State',
      }),
    ]);
    await harness.append('issue-ukraine-nato-membership', [
      development('IssueRegistered', '2022-01-01T08:00:00Z', { issueId: 'ukraine-nato-membership', title: 'Ukraine and NATO membership', description: 'whether Ukraine may join NATO' }),
    ]);
    await harness.append('issue-arms-control', [
      development('IssueRegistered', '2022-01-01T08:00:00Z', { issueId: 'arms-control', title: 'Arms control in Europe' }),
    ]);
    await harness.caughtUp();

    const parties = await harness.pool.query('SELECT id, name, kind, member_of, represents, role, registered_at FROM parties ORDER BY id');
    expect(parties.rows).toEqual([
      { id: 'NATO', name: 'North Atlantic Treaty Organization', kind: 'organization', member_of: [], represents: null, role: null,
        registered_at: new Date(nato!.recordedAt) },
      { id: 'USA', name: 'United States', kind: 'state', member_of: ['NATO'], represents: null, role: null, registered_at: expect.any(Date) },
      { id: 'sherman', name: 'Wendy Sherman', kind: 'person', member_of: [], represents: 'USA', role: 'Deputy Secretary of State',
        registered_at: expect.any(Date) },
    ]);
    const issues = await harness.pool.query('SELECT id, title, description FROM issues ORDER BY id');
    expect(issues.rows).toEqual([
      { id: 'arms-control', title: 'Arms control in Europe', description: null },
      { id: 'ukraine-nato-membership', title: 'Ukraine and NATO membership', description: 'whether Ukraine may join NATO' },
    ]);
  });
});
