import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox and the record of where each event went leave the journal (ADR 0011). Marking a
 * journal row published rewrote the whole row, its JSON and all, with new entries in every index:
 * more WAL than the append itself. Now a journal row is written once, and never updated:
 * - `outbox` holds the positions Kafka does not have yet; an append adds its events, the relay
 *   deletes them once Kafka has acknowledged them;
 * - `journal_publications` says where each published event sits in Kafka, one narrow row each.
 */
export class Outbox1764300000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    // No foreign keys to the journal: its rows are never deleted, and the check would cost every append.
    await queryRunner.query('CREATE TABLE outbox (global_position bigint PRIMARY KEY)');
    await queryRunner.query(`
      CREATE TABLE journal_publications (
        kafka_partition integer     NOT NULL,
        kafka_offset    bigint      NOT NULL,
        global_position bigint      NOT NULL,
        published_at    timestamptz NOT NULL,
        PRIMARY KEY (kafka_partition, kafka_offset)
      )`);
    await queryRunner.query('INSERT INTO outbox SELECT global_position FROM journal WHERE published_at IS NULL');
    await queryRunner.query(`
      INSERT INTO journal_publications
      SELECT kafka_partition, kafka_offset, global_position, published_at FROM journal WHERE published_at IS NOT NULL`);
    await queryRunner.query('ALTER TABLE journal DROP COLUMN published_at, DROP COLUMN kafka_partition, DROP COLUMN kafka_offset');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE journal ADD COLUMN published_at timestamptz, ADD COLUMN kafka_partition integer, ADD COLUMN kafka_offset bigint`);
    await queryRunner.query(`
      UPDATE journal j SET published_at = p.published_at, kafka_partition = p.kafka_partition, kafka_offset = p.kafka_offset
      FROM journal_publications p WHERE p.global_position = j.global_position`);
    await queryRunner.query(
      'CREATE INDEX journal_unpublished ON journal (global_position) WHERE published_at IS NULL');
    await queryRunner.query(
      'CREATE INDEX journal_kafka_position ON journal (kafka_partition, kafka_offset) WHERE kafka_offset IS NOT NULL');
    await queryRunner.query('DROP TABLE journal_publications');
    await queryRunner.query('DROP TABLE outbox');
  }
}
