import { z } from 'zod';
import { type EventRetracted } from '../retractions/retraction.events.js';
import { type DomainEvent } from '../shared/events.js';
import { idSchema, longText, shortText } from '../shared/fields.js';

export const issueRegisteredData = z.strictObject({
  issueId: idSchema,
  title: shortText,
  description: longText.optional(),
});
export type IssueRegistered = DomainEvent<'IssueRegistered', z.infer<typeof issueRegisteredData>>;

export type IssueEvent = IssueRegistered | EventRetracted;

export const issueEventSchemas = { IssueRegistered: issueRegisteredData };
