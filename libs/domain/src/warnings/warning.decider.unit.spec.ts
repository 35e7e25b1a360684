import { describe, expect, it } from '@jest/globals';
import { given, retraction, reuters, scenarioContext } from '../scenario.js';
import { type GiveWarning } from './warning.commands.js';
import { warningDecider } from './warning.decider.js';
import { type WarningGiven } from './warning.events.js';

const stream = 'warning-eastern-flank';

const warn = (data: Partial<GiveWarning['data']> = {}): GiveWarning => ({
  type: 'GiveWarning',
  data: {
    warningId: 'eastern-flank',
    by: 'NATO',
    to: ['RUS'],
    issue: 'nato-eastern-presence',
    condition: 'if Russia uses force against Ukraine again',
    consequence: 'NATO will consider further increasing its military presence in the east of the alliance',
    severity: 'high',
    kind: 'military',
    occurredAt: '2022-01-12',
    sources: [reuters],
    ...data,
  },
});

const eastFlankWarning: WarningGiven = {
  type: 'WarningGiven',
  schemaVersion: 2,
  occurredAt: '2022-01-12',
  sources: [reuters],
  data: {
    warningId: 'eastern-flank',
    by: 'NATO',
    to: ['RUS'],
    issue: 'nato-eastern-presence',
    condition: 'if Russia uses force against Ukraine again',
    consequence: 'NATO will consider further increasing its military presence in the east of the alliance',
    severity: 'high',
    kind: 'military',
  },
};

describe('warning decider', () => {
  it('records the warning', () => {
    expect(given(warningDecider, stream).when(warn())).toEqual([eastFlankWarning]);
  });

  it('records a warning without an issue, condition or kind', () => {
    const [event] = given(warningDecider, stream).when(warn({ issue: undefined, condition: undefined, kind: undefined })) as WarningGiven[];
    expect(event?.data).toEqual({
      warningId: 'eastern-flank',
      by: 'NATO',
      to: ['RUS'],
      consequence: 'NATO will consider further increasing its military presence in the east of the alliance',
      severity: 'high',
    });
  });

  it('refuses an id that is taken, even by a retracted warning', () => {
    expect(given(warningDecider, stream, eastFlankWarning).when(warn())).toMatchObject({ rejection: 'ALREADY_EXISTS' });
    expect(given(warningDecider, stream, eastFlankWarning, retraction(`${stream}/1`, 'WarningGiven', ['NATO', 'RUS'])).when(warn())).toMatchObject({
      rejection: 'ALREADY_EXISTS',
    });
  });

  it('refuses a warning a party gives itself', () => {
    expect(given(warningDecider, stream).when(warn({ to: ['RUS', 'NATO'] }))).toMatchObject({ rejection: 'SELF_ADDRESSED', path: 'to[1]' });
  });

  it('refuses a recipient named twice', () => {
    expect(given(warningDecider, stream).when(warn({ to: ['RUS', 'RUS'] }))).toMatchObject({ rejection: 'DUPLICATE_REFERENCE', path: 'to[1]' });
  });

  it('refuses an unregistered recipient', () => {
    const context = scenarioContext({ knownParties: new Set(['NATO']) });
    expect(given(warningDecider, stream).when(warn(), context)).toMatchObject({ rejection: 'UNKNOWN_PARTY', path: 'to[0]' });
  });

  it('refuses an unregistered issue, but needs none', () => {
    const context = scenarioContext({ knownIssues: new Set() });
    expect(given(warningDecider, stream).when(warn(), context)).toMatchObject({ rejection: 'UNKNOWN_ISSUE', path: 'issue' });
    expect(given(warningDecider, stream).when(warn({ issue: undefined }), context)).toHaveLength(1);
  });

  it('refuses a warning dated in the future', () => {
    expect(given(warningDecider, stream).when(warn({ occurredAt: '2022-01-12T16:00:00Z' }))).toMatchObject({ rejection: 'OCCURRED_IN_FUTURE' });
  });
});
