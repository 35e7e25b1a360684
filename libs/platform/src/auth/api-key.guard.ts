import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ProblemError } from '../http/problem.js';
import { ApiKeys, type Principal, type Role, roles } from './api-keys.service.js';
import { IS_PUBLIC } from './public.decorator.js';
import { REQUIRED_ROLE } from './roles.decorator.js';
import { ACCEPTS_STREAM_TOKEN, StreamTokens } from './stream-tokens.service.js';

export type AuthenticatedRequest = Request & { principal: Principal };

/** Every route but the public ones needs `Authorization: Bearer <key>` with a sufficient role. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly apiKeys: ApiKeys, private readonly streamTokens: StreamTokens) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const token = !match && this.reflector.getAllAndOverride<boolean>(ACCEPTS_STREAM_TOKEN, targets) ? request.query.token : undefined;
    const principal = match ? await this.apiKeys.authenticate(match[1]!)
      : typeof token === 'string' ? await this.streamTokens.authenticate(token) : null;
    if (!principal) {
      context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer');
      throw ProblemError.of(401, 'unauthorized',
        match ? 'The API key is not known.' : token !== undefined ? 'The stream token is not valid or has expired; ask POST /v1/stream-tokens for a new one.'
          : 'Send an API key as "Authorization: Bearer <key>".');
    }
    const required = this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets) ?? 'admin';
    if (roles.indexOf(principal.role) < roles.indexOf(required)) {
      throw ProblemError.of(403, 'forbidden', `This needs the ${required} role; the key "${principal.name}" is a ${principal.role}.`);
    }
    request.principal = principal;
    return true;
  }
}
