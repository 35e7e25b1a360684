// What an alert rule says, as admins write it (DESIGN §7 /v1/alert-rules) and as the alerter reads it back.
import { z } from 'zod';
import { bookkeepingEventTypes, cameoRootSchema, chanceryEventTypes, idSchema, severities, type Severity } from '#domain';
import { type WebhookPolicy, webhookUrlProblem } from './webhook-policy.js';

/** The event types that are developments between parties: registrations and retractions are bookkeeping. */
export const developmentTypes = chanceryEventTypes.filter(
  (type) => !(bookkeepingEventTypes as readonly string[]).includes(type)) as Array<Exclude<(typeof chanceryEventTypes)[number], (typeof bookkeepingEventTypes)[number]>>;
export type DevelopmentType = (typeof developmentTypes)[number];

export const alertRuleKinds = ['event', 'tension', 'surge', 'unanswered-demand'] as const;
export type AlertRuleKind = (typeof alertRuleKinds)[number];

const idList = z.array(idSchema).min(1).max(100);

/** Which developments a rule looks at; every field narrows, an empty match takes every development. */
const developmentMatch = z.strictObject({
  types: z.array(z.enum(developmentTypes as [DevelopmentType, ...DevelopmentType[]])).min(1).max(developmentTypes.length).optional(),
  /** Any of these among the development's parties (its actor and counterparts). */
  parties: idList.optional(),
  /** Any of these as the development's issue (a meeting's: any of its issues). */
  issues: idList.optional(),
  /** Only warnings, at this severity or above: no other development has a severity. */
  minSeverity: z.enum(severities).optional(),
  /** Any of these CAMEO roots (`"17"` coerce, `"18"` assault…) as the root of the development's code. */
  cameoRoots: z.array(cameoRootSchema).min(1).max(20).optional(),
});
export type DevelopmentMatch = z.infer<typeof developmentMatch>;

/** Which demands an unanswered-demand rule watches: by the parties of the demand (issuer, addressees) and its issue. */
const demandMatch = z.strictObject({ parties: idList.optional(), issues: idList.optional() });
export type DemandMatch = z.infer<typeof demandMatch>;

/** `7d`: a number of days. */
const days = (max: number) => z.string().regex(/^[1-9]\d*d$/, 'a number of days such as "7d"')
  .refine((value) => Number.parseInt(value, 10) <= max, `at most ${max} days`);

export function daysOf(window: string): number {
  return Number.parseInt(window, 10);
}

const name = z.string().trim().min(1).max(200);
const severity = z.enum(severities);

/** Each kind's fields. */
const kinds = {
  event: z.strictObject({ name, severity, kind: z.literal('event'), match: developmentMatch.default({}) }),
  tension: z.strictObject({
    name,
    severity,
    kind: z.literal('tension'),
    pair: z.tuple([idSchema, idSchema]),
    window: z.enum(['7d', '30d']),
    /** On the tension index's scale (ADR 0003): −10 (cooperative) to +10 (conflictual). */
    threshold: z.number().min(-10).max(10),
  }),
  surge: z.strictObject({
    name,
    severity,
    kind: z.literal('surge'),
    match: developmentMatch.default({}),
    window: days(90).default('7d'),
    baseline: days(365).default('28d'),
    /** 1.0 = the window holds at least twice the baseline's average per window. */
    increase: z.number().positive().max(1000),
    /** The least baseline average per window that a surge is measured against: below it, no alert. */
    minBaseline: z.number().positive().max(1_000_000),
  }),
  unansweredDemand: z.strictObject({
    name, severity, kind: z.literal('unanswered-demand'), match: demandMatch.default({}), afterDays: z.number().int().min(1).max(3650),
  }),
};

function checkRule(rule: { kind: string; pair?: [string, string]; window?: string; baseline?: string }, context: z.RefinementCtx): void {
  if (rule.kind === 'tension' && rule.pair && rule.pair[0] === rule.pair[1]) {
    context.addIssue({ code: 'custom', path: ['pair', 1], message: 'a pair is two different parties' });
  }
  if (rule.kind === 'surge' && rule.window && rule.baseline && daysOf(rule.baseline) < daysOf(rule.window)) {
    context.addIssue({ code: 'custom', path: ['baseline'], message: 'the baseline is at least as long as the window' });
  }
}

/** A rule without its webhook: what the alerter evaluates, stored as `alert_rules.definition`. */
export const alertRuleDefinition = z.discriminatedUnion('kind', [kinds.event, kinds.tension, kinds.surge, kinds.unansweredDemand])
  .superRefine(checkRule);
export type AlertRuleDefinition = z.infer<typeof alertRuleDefinition>;

export type WebhookTarget = { url: string; secret: string };

/** The body of POST and PUT /v1/alert-rules: a definition and, optionally, the webhook it is delivered to. */
export function alertRuleBody(policy: WebhookPolicy) {
  const webhook = z.strictObject({
    url: z.string().max(2000).superRefine((url, context) => {
      const problem = webhookUrlProblem(url, policy);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    }),
    /** Signs each delivery (HMAC-SHA256); never shown again. */
    secret: z.string().min(16, 'at least 16 characters').max(512),
  });
  const shape = { webhook: webhook.optional() };
  return z.discriminatedUnion('kind', [kinds.event.extend(shape), kinds.tension.extend(shape), kinds.surge.extend(shape),
    kinds.unansweredDemand.extend(shape)]).superRefine(checkRule).transform(({ webhook: target, ...definition }) => ({
    definition: definition as AlertRuleDefinition,
    webhook: target as WebhookTarget | undefined,
  }));
}

/** A stored rule as the alerter evaluates it. */
export type AlertRule = AlertRuleDefinition & {
  id: string;
  createdAt: Date;
  hasWebhook: boolean;
};

export function severityRank(severity: Severity): number {
  return severities.indexOf(severity);
}
