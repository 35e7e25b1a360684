import type { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys, stored as SHA-256 digests: a key is shown once, at creation. */
export class ApiKeys1763800000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE api_keys (
        name       text        PRIMARY KEY,
        role       text        NOT NULL CHECK (role IN ('reader', 'writer', 'admin')),
        key_sha256 text        NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE api_keys');
  }
}
