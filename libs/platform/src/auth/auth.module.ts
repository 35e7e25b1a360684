import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeys } from './api-keys.service.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { StreamTokensController } from './stream-tokens.controller.js';
import { StreamTokens } from './stream-tokens.service.js';

/** API keys with roles, and a rate limit per key. */
@Module({
  controllers: [ApiKeysController, StreamTokensController],
  providers: [
    ApiKeys,
    StreamTokens,
    // Order matters: the key is known before it is counted.
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [ApiKeys, StreamTokens],
})
export class AuthModule {}
