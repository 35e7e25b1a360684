import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Where each projection is: its checkpoint per partition, and its version and status. */
export class ProjectionProgress1764000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE projection_checkpoints (
        projection  text        NOT NULL,
        version     integer     NOT NULL,
        partition   integer     NOT NULL,
        next_offset bigint      NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection, version, partition)
      )`);
    await queryRunner.query(`
      CREATE TABLE projection_status (
        projection    text        PRIMARY KEY,
        version       integer     NOT NULL,
        status        text        NOT NULL CHECK (status IN ('live', 'rebuilding', 'failed', 'halted')),
        last_event_at timestamptz,
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE projection_status');
    await queryRunner.query('DROP TABLE projection_checkpoints');
  }
}
