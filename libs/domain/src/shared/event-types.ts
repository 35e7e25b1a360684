// The event type names as values: what a schema enum, a registry or a test can iterate over.
export const chanceryEventTypes = [
  'PartyRegistered',
  'IssueRegistered',
  'DemandIssued',
  'DemandRejected',
  'DemandAccepted',
  'DemandWithdrawn',
  'MeetingScheduled',
  'MeetingHeld',
  'MeetingCancelled',
  'WarningGiven',
  'ProposalMade',
  'ProposalDeclined',
  'ProposalAccepted',
  'PositionStated',
  'CodedDevelopmentRecorded',
  'EventRetracted',
] as const;

/**
 * The version a decider writes today. Bump a type's version only with an upcaster for the older
 * one and a new `schemas/<Type>.v<n>.json`; the published files of older versions stay.
 */
export const currentSchemaVersion = {
  PartyRegistered: 1,
  IssueRegistered: 1,
  DemandIssued: 1,
  // v2 of the four answers: `supersedes`, since an answer may change (docs/adr/0017-answers-that-change.md).
  DemandRejected: 2,
  DemandAccepted: 2,
  DemandWithdrawn: 1,
  MeetingScheduled: 1,
  MeetingHeld: 1,
  MeetingCancelled: 1,
  // v2: `kind` replaced v1's `military` flag (docs/adr/0007-event-schema-versions.md).
  WarningGiven: 2,
  ProposalMade: 1,
  ProposalDeclined: 2,
  ProposalAccepted: 2,
  PositionStated: 1,
  CodedDevelopmentRecorded: 1,
  EventRetracted: 1,
} as const satisfies Record<(typeof chanceryEventTypes)[number], number>;

/** Events that record what the system was told rather than a development between parties: no sources needed. */
export const bookkeepingEventTypes = ['PartyRegistered', 'IssueRegistered', 'EventRetracted'] as const;
