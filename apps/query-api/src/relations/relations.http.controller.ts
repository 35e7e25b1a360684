import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { idSchema } from '#domain';
import { ApiProblem, ProblemError, RequiresRole, ZodPipe } from '#platform';
import { ApiListQuery, ApiReadModels } from '../shared/openapi.js';
import { GetRelation, relationQuery } from './get-relation.query.js';

/** A relation is between two different parties, each named by an id that could exist. */
function validPair(a: string, b: string): void {
  const errors = [['a', a], ['b', b]].flatMap(([path, id]) => {
    const parsed = idSchema.safeParse(id);
    return parsed.success ? [] : [{ path: path!, message: parsed.error.issues[0]!.message }];
  });
  if (errors.length === 0 && a === b) errors.push({ path: 'b', message: 'a relation is between two different parties' });
  if (errors.length > 0) throw ProblemError.of(400, 'validation', `The request path is not valid: ${errors.length} problem(s).`, { errors });
}

@ApiTags('relations')
@ApiReadModels()
@RequiresRole('reader')
@Controller('v1/relations')
export class RelationsHttpController {
  constructor(private readonly queries: QueryBus) {}

  /** Per UTC day, how the pair's developments scored, and its 7- and 30-day tension index. */
  @Get(':a/:b')
  @ApiListQuery(relationQuery)
  @ApiOperation({ operationId: 'getRelation', summary: 'Get the relation of two parties: scores per day and tension' })
  @ApiOkResponse({ description: "The pair's days and tension indexes." })
  @ApiProblem(404, 'One of the parties is not registered.')
  get(@Param('a') a: string, @Param('b') b: string,
    @QueryParams(new ZodPipe(relationQuery, 'query')) range: ReturnType<typeof relationQuery.parse>) {
    validPair(a, b);
    return this.queries.execute(new GetRelation(a, b, range));
  }
}
