import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { CHANCERY_CONFIG } from '../config/config.module.js';
import type { ChanceryConfig } from '../config/config.js';
import { ProblemError } from '../http/problem.js';
import type { AuthenticatedRequest } from './api-key.guard.js';

/**
 * Requests per second per API key, in this process (each instance counts its own share).
 * Runs after ApiKeyGuard, so the key is known; public routes count by address.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter: RateLimiterMemory;

  constructor(@Inject(CHANCERY_CONFIG) config: ChanceryConfig) {
    this.limiter = new RateLimiterMemory({ points: config.rateLimitPerSecond, duration: 1 });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!request.principal) return true;
    try {
      await this.limiter.consume(request.principal.name);
      return true;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1_000));
      context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(seconds));
      throw ProblemError.of(429, 'rate-limited', `Too many requests for the key "${request.principal.name}"; retry in ${seconds} s.`);
    }
  }
}
