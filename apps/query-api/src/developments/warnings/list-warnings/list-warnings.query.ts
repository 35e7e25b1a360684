import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import pg from 'pg';
import { z } from 'zod';
import { idSchema, severities } from '#domain';
import { PG_POOL } from '#platform';
import { limitSchema, type Page, pageOf, timeParam } from '../../../shared/list-query.js';
import { Conditions, type NewestFirstRow, positionOf } from '../../shared/newest-first.js';

const isTime = (value: string) => timeParam.safeParse(value).success;

/**
 * DESIGN §7 names two parameters `to`: the warned party and the end of the time range. A value
 * that reads as a date or an ISO timestamp is the range's end; any other is a party. Both may be
 * given (`to=RUS&to=2022-02-01`, in either order). A party id shaped like a date cannot be asked
 * for this way; no party id in use is one, and timestamps cannot be ids (they hold `:`).
 */
const toValue = z.string().min(1).max(128);
const toParam = z.union([toValue, z.array(toValue).min(1).max(2)]);

/** The query string as sent; `warningsQuery` splits `to`. Exported for the OpenAPI document. */
export const warningsQueryShape = z.strictObject({
  by: idSchema.optional(),
  to: toParam.optional(),
  minSeverity: z.enum(severities).optional(),
  from: timeParam.optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

export const warningsQuery = warningsQueryShape.transform(({ to, ...query }, context) => {
  const values = to === undefined ? [] : [to].flat();
  const ends = values.filter(isTime);
  const parties = values.filter((value) => !isTime(value));
  if (ends.length > 1 || parties.length > 1) {
    context.issues.push({
      code: 'custom', path: ['to'], input: to,
      message: '`to` is given at most once as a party and once as the end of the time range (a date or ISO timestamp)',
    });
    return z.NEVER;
  }
  if (parties.some((party) => !idSchema.safeParse(party).success)) {
    context.issues.push({ code: 'custom', path: ['to'], input: to, message: '`to` is neither a party id nor a date or ISO timestamp' });
    return z.NEVER;
  }
  return { ...query, to: parties[0], until: ends[0] === undefined ? undefined : timeParam.parse(ends[0]) };
});

export type WarningsFilter = z.output<typeof warningsQuery>;

export type WarningItem = {
  id: string;
  by: string;
  to: string[];
  issue: string | null;
  condition: string | null;
  consequence: string;
  severity: (typeof severities)[number];
  kind: string | null;
  occurredAt: string;
};

export class ListWarnings extends Query<Page<WarningItem>> {
  constructor(readonly filter: WarningsFilter) {
    super();
  }
}

type Row = NewestFirstRow & {
  id: string; by: string; addressees: string[]; issue: string | null; condition: string | null; consequence: string;
  severity: WarningItem['severity']; kind: string | null; occurred_at: string;
};

@QueryHandler(ListWarnings)
export class ListWarningsHandler implements IQueryHandler<ListWarnings, Page<WarningItem>> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ filter }: ListWarnings): Promise<Page<WarningItem>> {
    const conditions = new Conditions();
    if (filter.by) conditions.add(`by = ${conditions.param(filter.by)}`);
    if (filter.to) conditions.add(`addressees @> ARRAY[${conditions.param(filter.to)}]::text[]`);
    // The projection ranks low < medium < high < critical as 0–3, the order of `severities`.
    if (filter.minSeverity) conditions.add(`severity_rank >= ${conditions.param(severities.indexOf(filter.minSeverity))}`);
    if (filter.from) conditions.add(`occurred_ts >= ${conditions.param(filter.from)}`);
    if (filter.until) conditions.add(`occurred_ts <= ${conditions.param(filter.until)}`);
    conditions.after(filter.cursor, 'occurred_ts', 'global_position');
    const { rows } = await this.pool.query<Row>(
      `SELECT id, by, addressees, issue, condition, consequence, severity, kind, occurred_at, occurred_ts, global_position
       FROM warnings ${conditions.where}
       ORDER BY occurred_ts DESC, global_position DESC LIMIT ${conditions.param(filter.limit + 1)}`, conditions.params);
    return pageOf(rows, filter.limit, (row) => ({
      id: row.id,
      by: row.by,
      to: row.addressees,
      issue: row.issue,
      condition: row.condition,
      consequence: row.consequence,
      severity: row.severity,
      kind: row.kind,
      occurredAt: row.occurred_at,
    }), positionOf);
  }
}
