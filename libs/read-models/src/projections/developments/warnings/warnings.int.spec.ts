import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { development, type ProjectionHarness, startProjectionHarness } from '#testing';
import { warningsProjection } from './warnings.projection.js';

describe('warnings projection', () => {
  let harness: ProjectionHarness;
  beforeAll(async () => {
    harness = await startProjectionHarness({ projections: [warningsProjection] });
  });
  afterAll(() => harness.stop());

  it('keeps each warning with its severity rank for minSeverity, and drops a retracted one', async () => {
    await harness.append('warning-costs', [development('WarningGiven', '2022-01-12', {
      warningId: 'costs', by: 'NATO', to: ['RUS'], issue: 'ukraine-nato-membership', condition: 'if Russia uses force against Ukraine again',
      consequence: 'severe costs', severity: 'high', kind: 'economic',
    })]);
    const [misquote] = await harness.append('warning-misquote', [development('WarningGiven', '2022-01-13T10:00:00Z', {
      warningId: 'misquote', by: 'RUS', to: ['NATO', 'USA'], consequence: 'military-technical response', severity: 'critical', kind: 'military',
    })]);
    await harness.append('warning-misquote', [development('EventRetracted', '2022-01-14T00:00:00Z', {
      retractedEventId: misquote!.eventId, retractedEventType: 'WarningGiven', retractedParties: ['RUS', 'NATO', 'USA'], reason: 'misquoted',
    })]);
    await harness.append('warning-mild', [development('WarningGiven', '2022-01-14', {
      warningId: 'mild', by: 'USA', to: ['RUS'], consequence: 'diplomatic consequences', severity: 'low',
    })]);
    await harness.caughtUp();

    const { rows } = await harness.pool.query(
      'SELECT id, by, addressees, issue, condition, consequence, severity, severity_rank, kind, occurred_at FROM warnings ORDER BY occurred_ts DESC, global_position DESC');
    expect(rows).toEqual([
      { id: 'mild', by: 'USA', addressees: ['RUS'], issue: null, condition: null, consequence: 'diplomatic consequences', severity: 'low', severity_rank: 0, kind: null, occurred_at: '2022-01-14' },
      { id: 'costs', by: 'NATO', addressees: ['RUS'], issue: 'ukraine-nato-membership', condition: 'if Russia uses force against Ukraine again',
        consequence: 'severe costs', severity: 'high', severity_rank: 2, kind: 'economic', occurred_at: '2022-01-12' },
    ]);
  });
});
