import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `projection_streams` is looked up by stream (a batch's streams, a consistency token's streams), so
 * its key leads with the stream. Led by (projection, version), a lookup of a batch's streams
 * depended on fresh statistics: right after a rebuild filled the table, the planner walked all of a
 * projection's streams for each batch (37 ms instead of 0.07 ms).
 */
export class ProjectionStreamsByStream1764200000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE projection_streams
        DROP CONSTRAINT projection_streams_pkey,
        ADD PRIMARY KEY (stream_id, projection, version)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE projection_streams
        DROP CONSTRAINT projection_streams_pkey,
        ADD PRIMARY KEY (projection, version, stream_id)`);
  }
}
