import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerting (docs/adr/0006-alerts.md): the rules admins write, the alerts the alerter raises (each
 * with a deterministic id, so a replay inserts nothing twice), their webhook deliveries with every
 * attempt, and the facts the alerter keeps of the developments it has seen. Plain tables rather
 * than a projection schema: rules and alerts are not rebuilt from the log, and the alerter's facts
 * must outlive a change of its consumer group so a replay evaluates against the same state.
 */
export class Alerts1764100000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE alert_rules (
        id             uuid        PRIMARY KEY,
        name           text        NOT NULL,
        kind           text        NOT NULL CHECK (kind IN ('event', 'tension', 'surge', 'unanswered-demand')),
        severity       text        NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
        definition     jsonb       NOT NULL,
        webhook_url    text,
        webhook_secret text,
        -- Milliseconds, as JSON and the list's cursor carry them.
        created_at     timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        updated_at     timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        CHECK ((webhook_url IS NULL) = (webhook_secret IS NULL))
      )`);
    await queryRunner.query('CREATE INDEX alert_rules_listed ON alert_rules (created_at, id)');

    await queryRunner.query(`
      CREATE TABLE alerts (
        id              uuid        PRIMARY KEY,
        seq             bigserial   NOT NULL UNIQUE,
        rule_id         uuid        NOT NULL,
        rule_name       text        NOT NULL,
        kind            text        NOT NULL,
        severity        text        NOT NULL,
        trigger_key     text        NOT NULL,
        triggered_at    timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        occurred_at     text        NOT NULL,
        event_ids       uuid[]      NOT NULL,
        parties         text[]      NOT NULL,
        summary         text        NOT NULL,
        details         jsonb       NOT NULL,
        published_at    timestamptz,
        kafka_partition integer,
        kafka_offset    bigint,
        CONSTRAINT alerts_one_per_trigger UNIQUE (rule_id, trigger_key)
      )`);
    await queryRunner.query('CREATE INDEX alerts_severity ON alerts (severity, seq DESC)');
    await queryRunner.query('CREATE INDEX alerts_triggered ON alerts (triggered_at)');
    // The publisher's work list: small, because published alerts leave it.
    await queryRunner.query('CREATE INDEX alerts_unpublished ON alerts (seq) WHERE published_at IS NULL');

    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        alert_id        uuid        PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
        rule_id         uuid        NOT NULL,
        url             text        NOT NULL,
        status          text        NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts        integer     NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        response_code   integer,
        last_error      text,
        created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        delivered_at    timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await queryRunner.query(`
      CREATE TABLE webhook_delivery_attempts (
        alert_id      uuid        NOT NULL REFERENCES webhook_deliveries (alert_id) ON DELETE CASCADE,
        attempt       integer     NOT NULL,
        url           text        NOT NULL,
        started_at    timestamptz NOT NULL,
        duration_ms   integer     NOT NULL,
        response_code integer,
        error         text,
        PRIMARY KEY (alert_id, attempt)
      )`);

    // What the alerter knows of each development: enough to count matches per day and to tell
    // whether a demand was answered by its deadline. Retracted ones stay, flagged.
    await queryRunner.query(`
      CREATE TABLE alerter_developments (
        event_id        uuid        PRIMARY KEY,
        stream_id       text        NOT NULL,
        global_position bigint      NOT NULL,
        type            text        NOT NULL,
        occurred_at     text        NOT NULL,
        occurred_ts     timestamptz NOT NULL,
        day             date        NOT NULL,
        recorded_at     timestamptz NOT NULL,
        parties         text[]      NOT NULL,
        issues          text[]      NOT NULL,
        severity_rank   smallint,
        actor           text,
        demand_id       text,
        addressed_to    text[],
        summary         text        NOT NULL,
        retracted       boolean     NOT NULL DEFAULT false
      )`);
    await queryRunner.query('CREATE INDEX alerter_developments_day ON alerter_developments (day)');
    await queryRunner.query('CREATE INDEX alerter_developments_demand ON alerter_developments (demand_id) WHERE demand_id IS NOT NULL');
    await queryRunner.query(
      `CREATE INDEX alerter_developments_issued ON alerter_developments (occurred_ts) WHERE type = 'DemandIssued'`);
    // What each development adds to a pair's day, as the relations projection counts it (ADR 0003).
    await queryRunner.query(`
      CREATE TABLE alerter_pair_contributions (
        event_id        uuid         NOT NULL,
        party_a         text         NOT NULL,
        party_b         text         NOT NULL,
        day             date         NOT NULL,
        goldstein       numeric(4,1) NOT NULL,
        recorded_at     timestamptz  NOT NULL,
        global_position bigint       NOT NULL,
        retracted       boolean      NOT NULL DEFAULT false,
        PRIMARY KEY (event_id, party_a, party_b)
      )`);
    await queryRunner.query('CREATE INDEX alerter_pair_contributions_pair ON alerter_pair_contributions (party_a, party_b, day)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE alerter_pair_contributions');
    await queryRunner.query('DROP TABLE alerter_developments');
    await queryRunner.query('DROP TABLE webhook_delivery_attempts');
    await queryRunner.query('DROP TABLE webhook_deliveries');
    await queryRunner.query('DROP TABLE alerts');
    await queryRunner.query('DROP TABLE alert_rules');
  }
}
