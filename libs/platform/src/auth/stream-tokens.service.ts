// Short-lived stream tokens: a browser's EventSource cannot send an Authorization header, so a
// keyed POST hands out a token that opens GET /v1/stream, and nothing else, for a few minutes.
import { Inject, Injectable, SetMetadata } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import pg from 'pg';
import { PG_POOL } from '../database/database.module.js';
import type { Principal, Role } from './api-keys.service.js';

/** A route that also accepts `?token=<stream token>` in place of the Authorization header. */
export const ACCEPTS_STREAM_TOKEN = 'chancery:accepts-stream-token';
export const AcceptsStreamToken = () => SetMetadata(ACCEPTS_STREAM_TOKEN, true);

/** Long enough to open (and reopen) a stream, short enough that a token in a log or a URL bar soon means nothing. */
export const streamTokenTtlMs = 5 * 60_000;

type Claims = { name: string; expiresAt: number };

/**
 * Stateless: `cst_<claims>.<HMAC-SHA256 of the claims>`, keyed with the stored digest of the API
 * key that asked for it. Any instance can check it, and revoking (or replacing) the key ends
 * every token it handed out.
 */
@Injectable()
export class StreamTokens {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async issue(principal: Principal, now = Date.now()): Promise<{ token: string; expiresAt: string }> {
    const secret = await this.secretOf(principal.name);
    if (!secret) throw new Error(`the key "${principal.name}" is gone`);
    const claims = Buffer.from(JSON.stringify({ name: principal.name, expiresAt: now + streamTokenTtlMs } satisfies Claims)).toString('base64url');
    return { token: `cst_${claims}.${sign(secret.digest, claims)}`, expiresAt: new Date(now + streamTokenTtlMs).toISOString() };
  }

  /** The key's principal while the token is genuine and unexpired; null otherwise. */
  async authenticate(token: string, now = Date.now()): Promise<Principal | null> {
    const match = /^cst_([A-Za-z0-9_-]{1,2000})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return null;
    const [, encoded, signature] = match as unknown as [string, string, string];
    let claims: Claims;
    try {
      claims = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Claims;
    } catch {
      return null;
    }
    if (typeof claims?.name !== 'string' || typeof claims.expiresAt !== 'number' || claims.expiresAt <= now) return null;
    const secret = await this.secretOf(claims.name);
    if (!secret) return null;
    const expected = Buffer.from(sign(secret.digest, encoded));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given) ? { name: claims.name, role: secret.role } : null;
  }

  private async secretOf(name: string): Promise<{ digest: string; role: Role } | undefined> {
    const { rows } = await this.pool.query<{ key_sha256: string; role: Role }>('SELECT key_sha256, role FROM api_keys WHERE name = $1', [name]);
    return rows[0] && { digest: rows[0].key_sha256, role: rows[0].role };
  }
}

function sign(secret: string, claims: string): string {
  return createHmac('sha256', `stream-token:${secret}`).update(claims).digest('base64url');
}
