// Commands at a steady rate, spread over several command-apis, each one valid on what came before
// (a demand is rejected only once, by its addressee, after its issue was accepted). Open loop: a
// command is sent when it is due, whether or not the ones before it have been answered, so a slow
// or stalled server shows in what is kept, not in a rate that quietly drops.
import { setTimeout as sleep } from 'node:timers/promises';

export const parties = ['RUS', 'NATO', 'USA', 'UKR', 'OSCE', 'CHN'];
export const issues = ['ukraine-nato-membership', 'missile-deployment', 'military-exercises'];
const stances = ['demands', 'supports', 'opposes', 'rejects', 'open-to-discuss'];
const provenance = { occurredAt: '2022-01-12', sources: [{ citation: 'IRNA quoting Reuters', outlet: 'IRNA', via: 'Reuters' }] };

export type SentCommand = {
  kind: string; path: string; status: number; eventIds: string[]; writer: number; ms: number; problem?: string;
};

/** A command-api that has not answered by then has failed the command, as far as its client knows. */
const answerWithinMs = 30_000;

type Command = { kind: string; path: string; body: Record<string, unknown>; accepted?: () => void };

export class SteadyLoad {
  readonly sent: SentCommand[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** Demands whose issue was accepted and that nobody has answered yet. */
  private readonly openDemands: Array<{ id: string; addressee: string }> = [];
  private serial = 0;
  private running?: Promise<void>;
  private stopped = false;

  /** `writers`: the command-apis' base URLs, used in turn. */
  constructor(private readonly writers: string[], private readonly key: string, private readonly perSecond: number) {}

  start(): void {
    this.running = this.loop();
  }

  /** Stops sending, and resolves once every command sent has been answered. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    await Promise.all(this.inFlight);
  }

  /** The warnings accepted so far: one alert each is what the test's rule must raise. */
  acceptedEventIds(kind?: string): string[] {
    return this.sent.filter((command) => command.status === 201 && (!kind || command.kind === kind)).flatMap((command) => command.eventIds);
  }

  private async loop(): Promise<void> {
    const started = performance.now();
    for (let index = 0; !this.stopped; index++) {
      const due = started + (index * 1000) / this.perSecond;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      if (this.stopped) break;
      const writer = index % this.writers.length;
      const sending = this.send(writer, this.next()).finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
  }

  private async send(writer: number, command: Command): Promise<void> {
    const started = performance.now();
    const sent = { kind: command.kind, path: command.path, writer };
    try {
      const response = await fetch(`${this.writers[writer]}${command.path}`, {
        method: 'POST', body: JSON.stringify(command.body), signal: AbortSignal.timeout(answerWithinMs),
        headers: { authorization: `Bearer ${this.key}`, 'content-type': 'application/json' },
      });
      const text = await response.text();
      const ms = Math.round(performance.now() - started);
      if (response.status !== 201) {
        this.sent.push({ ...sent, status: response.status, eventIds: [], ms, problem: text.slice(0, 300) });
        return;
      }
      this.sent.push({ ...sent, status: 201, eventIds: (JSON.parse(text) as { eventIds: string[] }).eventIds, ms });
      command.accepted?.();
    } catch (error) {
      this.sent.push({ ...sent, status: 0, eventIds: [], ms: Math.round(performance.now() - started), problem: (error as Error).message });
    }
  }

  /** Latency of the answered commands: p50, p99 and the slowest, in ms. */
  latency(): { p50: number; p99: number; max: number } {
    const sorted = this.sent.map((command) => command.ms).sort((a, b) => a - b);
    const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
    return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
  }

  private next(): Command {
    const serial = this.serial++;
    const by = parties[serial % parties.length]!;
    const to = parties[(serial + 1 + (serial % 3)) % parties.length]!;
    const issue = issues[serial % issues.length]!;
    switch (serial % 6) {
      case 0: {
        const id = `demand-${serial}`;
        return { kind: 'demand', path: '/v1/demands', body: { id, by, addressedTo: [to], issue, summary: `demand ${serial}`, ...provenance },
          accepted: () => this.openDemands.push({ id, addressee: to }) };
      }
      case 1: {
        const demand = this.openDemands.shift();
        if (demand) return { kind: 'rejection', path: `/v1/demands/${demand.id}/rejections`, body: { by: demand.addressee, ...provenance } };
        return this.statement(serial, by, issue);
      }
      case 2:
        return { kind: 'warning', path: '/v1/warnings', body: {
          by, to: [to], issue, consequence: `consequence ${serial}`, severity: 'high', kind: 'military', ...provenance } };
      case 3:
        return { kind: 'meeting', path: '/v1/meetings', body: { title: `talks ${serial}`, participants: [by, to], issues: [issue], ...provenance } };
      case 4:
        return { kind: 'proposal', path: '/v1/proposals', body: { by, to: [to], issue, summary: `proposal ${serial}`, ...provenance } };
      default:
        return this.statement(serial, by, issue);
    }
  }

  private statement(serial: number, by: string, issue: string): Command {
    return { kind: 'statement', path: '/v1/statements', body: { by, issue, stance: stances[serial % stances.length], summary: `stance ${serial}`, ...provenance } };
  }
}
