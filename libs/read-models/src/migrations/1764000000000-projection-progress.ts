import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `version` is a projection's generation: its tables live in the schema projection_<name>_v<version>;
 * a rebuild is the next generation, built beside the live one. `code_version` is the version of the
 * projection's code that built it.
 *
 * Where each projection version is: its checkpoint per partition, the last version it applied of
 * each stream (to skip redelivered events and to answer consistency tokens), its status, and the
 * events it could not apply.
 */
export class ProjectionProgress1764000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE projection_status (
        projection     text        NOT NULL,
        version        integer     NOT NULL,
        status         text        NOT NULL CHECK (status IN ('live', 'rebuilding', 'failed', 'halted', 'retired')),
        is_live        boolean     NOT NULL DEFAULT false,
        code_version   integer     NOT NULL,
        swapped_at     timestamptz,
        swap_ms        double precision,
        started_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection, version)
      )`);
    // At most one live version per projection: the one the public views point at (even if it halted).
    await queryRunner.query(
      'CREATE UNIQUE INDEX projection_status_one_live ON projection_status (projection) WHERE is_live');
    // And at most one rebuild of it at a time.
    await queryRunner.query(
      "CREATE UNIQUE INDEX projection_status_one_rebuild ON projection_status (projection) WHERE status = 'rebuilding'");
    await queryRunner.query(`
      CREATE TABLE projection_checkpoints (
        projection  text        NOT NULL,
        version     integer     NOT NULL,
        partition   integer     NOT NULL,
        next_offset bigint      NOT NULL,
        -- Counted per partition, so batches of different partitions never wait on one shared row.
        events_applied bigint      NOT NULL DEFAULT 0,
        last_event_at  timestamptz,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection, version, partition)
      )`);
    await queryRunner.query(`
      CREATE TABLE projection_streams (
        projection   text    NOT NULL,
        version      integer NOT NULL,
        stream_id    text    NOT NULL,
        last_version integer NOT NULL,
        PRIMARY KEY (projection, version, stream_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE projection_failures (
        id             bigserial   PRIMARY KEY,
        projection     text        NOT NULL,
        version        integer     NOT NULL,
        event_id       text,
        stream_id      text,
        stream_version integer,
        partition      integer     NOT NULL,
        kafka_offset   bigint      NOT NULL,
        error          text        NOT NULL,
        failed_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX projection_failures_by_projection ON projection_failures (projection, version)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE projection_failures');
    await queryRunner.query('DROP TABLE projection_streams');
    await queryRunner.query('DROP TABLE projection_checkpoints');
    await queryRunner.query('DROP TABLE projection_status');
  }
}
