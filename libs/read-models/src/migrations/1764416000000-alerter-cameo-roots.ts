import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alert rules may match developments by the root of their CAMEO code (`match.cameoRoots`), so the
 * alerter keeps each development's root. Rows it kept before have their type's root: every type
 * known until now maps to one root whatever its data (a military threat is 138, any other 130:
 * both 13), as DESIGN §5 tables them. Written out here rather than read from the domain, so this
 * migration does the same on any later code.
 */
export class AlerterCameoRoots1764416000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE alerter_developments ADD COLUMN cameo_root text');
    await queryRunner.query(`
      UPDATE alerter_developments SET cameo_root = CASE type
        WHEN 'PositionStated' THEN '01'
        WHEN 'MeetingScheduled' THEN '03'
        WHEN 'ProposalMade' THEN '03'
        WHEN 'MeetingHeld' THEN '04'
        WHEN 'DemandAccepted' THEN '08'
        WHEN 'ProposalAccepted' THEN '08'
        WHEN 'DemandIssued' THEN '10'
        WHEN 'DemandRejected' THEN '12'
        WHEN 'ProposalDeclined' THEN '12'
        WHEN 'WarningGiven' THEN '13'
        WHEN 'MeetingCancelled' THEN '16'
      END`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE alerter_developments DROP COLUMN cameo_root');
  }
}
