import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiProblem, bearerScheme } from '../http/openapi.js';
import type { Role } from './api-keys.service.js';

export const REQUIRED_ROLE = 'chancery:role';

/**
 * The least role a route needs: admin ⊇ writer ⊇ reader. Routes without it need admin. The
 * document shows what the guards enforce: the bearer key, and the answers of a key refused, too
 * weak or over its rate, or of the database (which the key is checked against) away.
 */
export const RequiresRole = (role: Role) => applyDecorators(
  SetMetadata(REQUIRED_ROLE, role),
  ApiBearerAuth(bearerScheme),
  ApiProblem(401, 'No API key, or one that is not known.'),
  ...(role === 'reader' ? [] : [ApiProblem(403, `The key's role is below ${role}.`)]),
  ApiProblem(429, 'Over the rate limit of the key; retry after Retry-After seconds.'),
  ApiProblem(503, 'The database is not reachable right now; retry shortly.'),
);
