import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a generation in projection_status feeds. A `read-model` is read by dashboards: consistency
 * tokens and "caught up" wait for its live generation. The `alerter` feeds no views (`is_live` stays
 * false, and nothing waits for it), but its checkpoints, lag and status are listed beside the
 * projections' so an operator sees when alerts are behind.
 */
export class ConsumerKinds1765170000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE projection_status
        ADD COLUMN kind text NOT NULL DEFAULT 'read-model' CHECK (kind IN ('read-model', 'alerter'))`);
    // A generation that feeds no views is never the live one of a read model.
    await queryRunner.query(`
      ALTER TABLE projection_status ADD CONSTRAINT projection_status_views_of_read_models CHECK (kind = 'read-model' OR NOT is_live)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE projection_status DROP CONSTRAINT projection_status_views_of_read_models');
    await queryRunner.query('ALTER TABLE projection_status DROP COLUMN kind');
  }
}
