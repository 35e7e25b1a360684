// How long developments wait to reach the read models while the cluster is shaken: sampled a few
// times a second, the oldest journal event that some live projection has not applied yet (still in
// the outbox, or on a partition past the slowest projection's checkpoint), and how long it has
// waited, kept as the worst seen in each phase of the test. The test lets the read models catch up
// (`waitingMs` small again) before it starts the next phase, so a phase's worst is its own fault's.
// Read from Postgres alone: a broker away changes nothing here.
import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';

const oldestWaiting = `
  WITH applied AS (
    SELECT c.partition, min(c.next_offset) AS next_offset FROM projection_checkpoints c
    JOIN projection_status s ON s.projection = c.projection AND s.version = c.version AND s.is_live
    GROUP BY c.partition
  ), waiting AS (
    SELECT global_position FROM outbox
    UNION ALL
    SELECT p.global_position FROM journal_publications p LEFT JOIN applied a ON a.partition = p.kafka_partition
    WHERE p.kafka_offset >= coalesce(a.next_offset, 0)
  )
  SELECT (extract(epoch FROM clock_timestamp() - min(j.recorded_at)) * 1000)::float8 AS waited
  FROM waiting JOIN journal j USING (global_position)`;

export class DevelopmentAges {
  private readonly phases: Array<{ name: string; worstMs: number }> = [];
  /** How long the oldest development not yet in every read model has waited, at the last sample. */
  waitingMs = 0;
  private sampling?: Promise<void>;
  private stopped = false;

  constructor(private readonly pool: pg.Pool, private readonly everyMs = 250) {}

  start(phase: string): void {
    this.phase(phase);
    this.sampling = this.loop();
  }

  phase(name: string): void {
    this.phases.push({ name, worstMs: 0 });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.sampling;
  }

  /** `phase 1.2 s, phase 0.3 s, …`, in the order the phases came. */
  report(): string {
    return this.phases.map((phase) => `${phase.name} ${(phase.worstMs / 1000).toFixed(1)} s`).join(', ');
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const phase = this.phases.at(-1)!;
      const { rows } = await this.pool.query<{ waited: number | null }>(oldestWaiting).catch(() => undefined) ?? { rows: [] };
      if (rows[0]) {
        this.waitingMs = rows[0].waited ?? 0;
        phase.worstMs = Math.max(phase.worstMs, this.waitingMs);
      }
      await sleep(this.everyMs);
    }
  }
}
