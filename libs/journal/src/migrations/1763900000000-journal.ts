import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The journal is the source of truth and the outbox at once: a row is appended with its command,
 * in one transaction, and the relay marks it published once Kafka has it.
 */
export class Journal1763900000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE journal (
        global_position bigserial   PRIMARY KEY,
        event_id        uuid        NOT NULL UNIQUE,
        stream_id       text        NOT NULL,
        stream_version  integer     NOT NULL CHECK (stream_version > 0),
        event_type      text        NOT NULL,
        schema_version  integer     NOT NULL,
        occurred_at     text        NOT NULL,
        recorded_at     timestamptz NOT NULL,
        recorded_by     text        NOT NULL,
        correlation_id  text        NOT NULL,
        causation_id    text,
        sources         jsonb       NOT NULL,
        confidence      text,
        cameo           jsonb,
        data            jsonb       NOT NULL,
        published_at    timestamptz,
        kafka_partition integer,
        kafka_offset    bigint,
        CONSTRAINT journal_stream_version UNIQUE (stream_id, stream_version)
      )`);
    // The relay's work list: small, because published rows leave it.
    await queryRunner.query(
      'CREATE INDEX journal_unpublished ON journal (global_position) WHERE published_at IS NULL');
    // Where each event sits in Kafka: lag reports and verification look rows up by it.
    await queryRunner.query(
      'CREATE INDEX journal_kafka_position ON journal (kafka_partition, kafka_offset) WHERE kafka_offset IS NOT NULL');
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        principal   text        NOT NULL,
        key         text        NOT NULL,
        request     text        NOT NULL,
        response    jsonb       NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (principal, key)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE idempotency_keys');
    await queryRunner.query('DROP TABLE journal');
  }
}
