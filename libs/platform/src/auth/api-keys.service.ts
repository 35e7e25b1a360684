import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { CHANCERY_CONFIG } from '../config/config.module.js';
import type { ChanceryConfig } from '../config/config.js';
import { PG_POOL } from '../database/database.module.js';
import { ProblemError } from '../http/problem.js';

export const roles = ['reader', 'writer', 'admin'] as const;
export type Role = (typeof roles)[number];
export type Principal = { name: string; role: Role };

export const bootstrapAdminName = 'bootstrap-admin';

// Keys are 256 random bits, so a plain SHA-256 digest is enough: there is nothing to brute-force.
function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** How long a looked-up key is trusted without asking Postgres again; also the delay of a revocation. */
const cacheMs = 5_000;

@Injectable()
export class ApiKeys implements OnApplicationBootstrap {
  private readonly logger = new Logger('ApiKeys');
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(CHANCERY_CONFIG) private readonly config: ChanceryConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const key = this.config.bootstrapAdminKey;
    if (!key) return;
    await this.pool.query(
      `INSERT INTO api_keys (name, role, key_sha256) VALUES ($1, 'admin', $2)
       ON CONFLICT (name) DO UPDATE SET key_sha256 = EXCLUDED.key_sha256, role = 'admin'`,
      [bootstrapAdminName, digest(key)]);
    this.logger.log(`admin key "${bootstrapAdminName}" registered from CHANCERY_BOOTSTRAP_ADMIN_KEY`);
  }

  async authenticate(key: string): Promise<Principal | null> {
    const hash = digest(key);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.principal;
    const { rows } = await this.pool.query<Principal>('SELECT name, role FROM api_keys WHERE key_sha256 = $1', [hash]);
    const principal = rows[0] ?? null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { principal, until: Date.now() + cacheMs });
    return principal;
  }

  async create(name: string, role: Role): Promise<Principal & { key: string }> {
    const key = `chk_${randomBytes(32).toString('base64url')}`;
    const { rowCount } = await this.pool.query(
      'INSERT INTO api_keys (name, role, key_sha256) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING',
      [name, role, digest(key)]);
    if (rowCount === 0) throw ProblemError.of(409, 'api-key-exists', `An API key named "${name}" already exists.`);
    return { name, role, key };
  }

  async list(): Promise<Array<Principal & { createdAt: string }>> {
    const { rows } = await this.pool.query<{ name: string; role: Role; created_at: Date }>(
      'SELECT name, role, created_at FROM api_keys ORDER BY name');
    return rows.map((row) => ({ name: row.name, role: row.role, createdAt: row.created_at.toISOString() }));
  }

  async revoke(name: string): Promise<void> {
    const { rowCount } = await this.pool.query('DELETE FROM api_keys WHERE name = $1', [name]);
    if (rowCount === 0) throw ProblemError.of(404, 'api-key-not-found', `No API key is named "${name}".`);
    this.cache.clear();
  }
}
