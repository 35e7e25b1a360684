import { describe, expect, it } from '@jest/globals';
import { given, scenarioNow } from '../scenario.js';
import { type RegisterIssue } from './issue.commands.js';
import { issueDecider } from './issue.decider.js';
import { type IssueRegistered } from './issue.events.js';

const registerMembership: RegisterIssue = {
  type: 'RegisterIssue',
  data: { id: 'ukraine-nato-membership', title: "Ukraine's membership of NATO", description: 'Whether NATO may admit Ukraine' },
};

const registered: IssueRegistered = {
  type: 'IssueRegistered',
  schemaVersion: 1,
  occurredAt: scenarioNow.toISOString(),
  sources: [],
  data: { issueId: 'ukraine-nato-membership', title: "Ukraine's membership of NATO", description: 'Whether NATO may admit Ukraine' },
};

describe('issue decider', () => {
  it('registers an issue now, citing no source', () => {
    expect(given(issueDecider, 'issue-ukraine-nato-membership').when(registerMembership)).toEqual([registered]);
  });

  it('refuses to register an issue twice', () => {
    expect(given(issueDecider, 'issue-ukraine-nato-membership', registered).when(registerMembership)).toMatchObject({
      rejection: 'ALREADY_EXISTS',
    });
  });
});
