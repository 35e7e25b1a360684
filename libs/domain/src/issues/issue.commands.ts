import { z } from 'zod';
import { type Command } from '../shared/commands.js';
import { idSchema, longText, shortText } from '../shared/fields.js';

export const registerIssueData = z.strictObject({
  id: idSchema,
  title: shortText,
  description: longText.optional(),
});
export type RegisterIssue = Command<'RegisterIssue', z.infer<typeof registerIssueData>>;

export type IssueCommand = RegisterIssue;

export const issueCommandSchemas = { RegisterIssue: registerIssueData };
