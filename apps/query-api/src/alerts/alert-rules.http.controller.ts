// /v1/alert-rules (admin): the rules the alerter evaluates. Each change is NOTIFY'd, and the alerter
// reads the rules at every batch, so a change applies from the next development on.
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query as QueryParams } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import pg from 'pg';
import { z } from 'zod';
import { ApiProblem, ApiProblems, jsonSchemaOf, parseOrThrow, PG_POOL, ProblemError, RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery } from '../shared/openapi.js';
import { decodeCursor, encodeCursor, limitSchema } from '../shared/list-query.js';
import {
  alertRuleBody, createAlertRule, deleteAlertRule, getAlertRule, listAlertRules, replaceAlertRule, type WebhookPolicy,
} from '#read-models';

export const WEBHOOK_POLICY = Symbol('WebhookPolicy');

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const rulesQuery = z.strictObject({ cursor: z.string().max(500).optional(), limit: limitSchema });

/** For the OpenAPI document: the fields by kind (which webhook addresses are refused depends on the policy, not the shape). */
const ruleBodySchema = jsonSchemaOf(alertRuleBody({ allowLoopback: false }));

function notFound(id: string): ProblemError {
  return ProblemError.of(404, 'not-found', `No alert rule has the id "${id}".`);
}

@ApiTags('alert-rules')
@RequiresRole('admin')
@Controller('v1/alert-rules')
export class AlertRulesHttpController {
  private readonly body: ReturnType<typeof alertRuleBody>;

  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool, @Inject(WEBHOOK_POLICY) policy: WebhookPolicy) {
    this.body = alertRuleBody(policy);
  }

  @Get()
  @ApiListQuery(rulesQuery)
  @ApiOperation({ operationId: 'listAlertRules', summary: 'List the alert rules' })
  @ApiOkResponse({ description: 'A page of rules.' })
  async list(@QueryParams(new ZodPipe(rulesQuery, 'query')) query: z.infer<typeof rulesQuery>) {
    const after = decodeCursor(query.cursor, 2);
    if (after && !(typeof after[0] === 'string' && !Number.isNaN(Date.parse(after[0])) && typeof after[1] === 'string' && uuid.test(after[1]))) {
      throw ProblemError.of(400, 'invalid-cursor', 'The cursor is not one this API handed out.', {
        errors: [{ path: 'cursor', message: 'not a cursor from a previous page' }],
      });
    }
    const rules = await listAlertRules(this.pool, query.limit + 1, after as [string, string] | undefined);
    const page = rules.slice(0, query.limit);
    const last = page.at(-1);
    return { items: page, nextCursor: rules.length > query.limit && last ? encodeCursor([last.createdAt, last.id]) : null };
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getAlertRule', summary: 'Get an alert rule' })
  @ApiOkResponse({ description: 'The rule.' })
  @ApiProblem(404, 'No alert rule has this id.')
  async get(@Param('id') id: string) {
    const rule = uuid.test(id) ? await getAlertRule(this.pool, id) : null;
    if (!rule) throw notFound(id);
    return rule;
  }

  /** 201 with the rule and its id; the webhook's secret is never shown again. */
  @Post()
  @HttpCode(201)
  @ApiBody({ schema: ruleBodySchema })
  @ApiOperation({ operationId: 'createAlertRule', summary: 'Create an alert rule' })
  @ApiCreatedResponse({ description: 'The rule, with its id.' })
  @ApiProblem(400, 'The rule is not valid.')
  create(@Body() body: unknown) {
    return createAlertRule(this.pool, parseOrThrow(this.body, body ?? {}));
  }

  /** Replaces the rule (the whole body, webhook and secret included); alerts it raised stay its own. */
  @Put(':id')
  @ApiBody({ schema: ruleBodySchema })
  @ApiOperation({ operationId: 'replaceAlertRule', summary: 'Replace an alert rule' })
  @ApiOkResponse({ description: 'The rule as replaced.' })
  @ApiProblems([400, 'The rule is not valid.'], [404, 'No alert rule has this id.'])
  async replace(@Param('id') id: string, @Body() body: unknown) {
    const input = parseOrThrow(this.body, body ?? {});
    const rule = uuid.test(id) ? await replaceAlertRule(this.pool, id, input) : null;
    if (!rule) throw notFound(id);
    return rule;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteAlertRule', summary: 'Delete an alert rule' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblem(404, 'No alert rule has this id.')
  async remove(@Param('id') id: string): Promise<void> {
    if (!uuid.test(id) || !(await deleteAlertRule(this.pool, id))) throw notFound(id);
  }
}
