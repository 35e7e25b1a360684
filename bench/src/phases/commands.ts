// Single commands over HTTP: the corpus lines after the imported ones, each sent to its endpoint,
// so every command is valid on the state so far and the mix stays the corpus's.
import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitUntilCaughtUp } from '#read-models';
import type { BenchContext } from '../context.js';
import type { BenchCorpus } from '../corpus-lines.js';
import type { Api, Answer } from '../http.js';
import { Latencies, type LatencySummary } from '../latency.js';
import { progress } from '../log.js';

type Body = Record<string, unknown>;
type Request = { command: string; path: string; body: Body; read: string; streamId: string };

/** command → path, and which body field the path names instead (it leaves the body). */
const routes: Record<string, { path: string; pathField?: string }> = {
  RegisterParty: { path: '/v1/parties' },
  RegisterIssue: { path: '/v1/issues' },
  IssueDemand: { path: '/v1/demands' },
  RejectDemand: { path: '/v1/demands/{}/rejections', pathField: 'demandId' },
  AcceptDemand: { path: '/v1/demands/{}/acceptances', pathField: 'demandId' },
  WithdrawDemand: { path: '/v1/demands/{}/withdrawals', pathField: 'demandId' },
  HoldMeeting: { path: '/v1/meetings' },
  ScheduleMeeting: { path: '/v1/meetings/scheduled' },
  RecordMeetingHeld: { path: '/v1/meetings/{}/held', pathField: 'meetingId' },
  CancelMeeting: { path: '/v1/meetings/{}/cancellations', pathField: 'meetingId' },
  GiveWarning: { path: '/v1/warnings' },
  MakeProposal: { path: '/v1/proposals' },
  DeclineProposal: { path: '/v1/proposals/{}/declines', pathField: 'proposalId' },
  AcceptProposal: { path: '/v1/proposals/{}/acceptances', pathField: 'proposalId' },
  StatePosition: { path: '/v1/statements' },
  RecordCodedDevelopment: { path: '/v1/developments' },
};

function requestOf(text: string): Request {
  const { command, ...fields } = JSON.parse(text) as Body & { command: string };
  const route = routes[command];
  if (!route) throw new Error(`no endpoint for ${command}`);
  const body = { ...fields };
  let path = route.path;
  if (route.pathField) {
    path = path.replace('{}', encodeURIComponent(String(body[route.pathField])));
    delete body[route.pathField];
  }
  // The read that shows this write: a statement in the party's positions, a demand in its page, else the timeline.
  const demandId = command === 'IssueDemand' ? fields.id : fields.demandId;
  const read = command === 'StatePosition' ? `/v1/parties/${fields.by}/positions`
    : demandId ? `/v1/demands/${demandId}` : '/v1/timeline?limit=1';
  return { command, path, body, read, streamId: streamOf(command, fields) };
}

/** The stream a command appends to: a client sends a stream's commands one after the other. */
function streamOf(command: string, fields: Body): string {
  const kind = /Demand$/.test(command) ? 'demand' : /Meeting(Held)?$/.test(command) ? 'meeting' : /Proposal$/.test(command) ? 'proposal'
    : command === 'GiveWarning' ? 'warning' : command === 'RegisterIssue' ? 'issue'
      : command === 'RecordCodedDevelopment' ? 'development' : 'party';
  const id = fields.id ?? fields.demandId ?? fields.meetingId ?? fields.proposalId ?? (command === 'StatePosition' ? fields.by : undefined);
  return `${kind}-${String(id)}`;
}

/**
 * Sends a stream's commands in order: one waits until the previous command on its stream has been
 * answered (an answer to a demand goes after the demand). Without this, requests in flight together
 * would race each other into 404s and version conflicts that no real client would cause.
 */
class StreamOrder {
  private readonly last = new Map<string, Promise<unknown>>();

  send(api: Api, request: Request): Promise<Answer> {
    const previous = this.last.get(request.streamId) ?? Promise.resolve();
    const answer = previous.then(() => api.call('POST', request.path, { json: request.body }));
    this.last.set(request.streamId, answer);
    void answer.finally(() => {
      if (this.last.get(request.streamId) === answer) this.last.delete(request.streamId);
    });
    return answer;
  }
}

/** The corpus lines after the imported ones, in order; retractions (which need server ids) are left out. */
class CommandSupply {
  private index: number;
  skippedRetractions = 0;

  constructor(private readonly corpus: BenchCorpus, from: number) {
    this.index = from;
  }

  next(): Request | undefined {
    while (this.index < this.corpus.lines.length) {
      const line = this.corpus.lines[this.index++]!;
      if (line.kind === 'ready') return requestOf(line.text);
      this.skippedRetractions++;
    }
    return undefined;
  }
}

export type CommandLoad = LatencySummary & { sent: number; created: number; errors: number; perSec: number; seconds: number; firstError?: string; statuses: Record<string, number> };

/** A fixed rate's load, with the requests it could not send in time and each second's p99. */
type FixedRateLoad = CommandLoad & { abandoned: number; p99BySecondMs: number[] };

class Tally {
  readonly latencies = new Latencies();
  statuses: Record<string, number> = {};
  firstError?: string;
  created = 0;

  count(answer: Answer, latencyMs: number): void {
    this.statuses[answer.status] = (this.statuses[answer.status] ?? 0) + 1;
    if (answer.status === 201) {
      this.created++;
      this.latencies.record(latencyMs);
    } else {
      this.firstError ??= `HTTP ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`;
    }
  }

  result(sent: number, seconds: number): CommandLoad {
    return {
      ...this.latencies.summary(), sent, created: this.created, errors: sent - this.created,
      perSec: Math.round(this.created / seconds), seconds: Math.round(seconds * 100) / 100,
      statuses: this.statuses, ...(this.firstError ? { firstError: this.firstError } : {}),
    };
  }
}

/**
 * Open loop at a fixed rate: request i is due at start + i/rate whether or not earlier ones answered,
 * and its latency runs from that moment, so a stall is not hidden by requests not sent. At most one
 * second's worth is in flight; a request still unsent at twice the planned duration is abandoned and
 * counted with its wait so far (a lower bound), so a server slower than the rate ends the phase.
 */
async function fixedRate(api: Api, supply: CommandSupply, perSecond: number, seconds: number): Promise<FixedRateLoad> {
  const tally = new Tally();
  // Each second's requests (by when they were due) on their own: a stall shows as the seconds it spans.
  const bySecond = Array.from({ length: seconds }, () => new Latencies());
  const order = new StreamOrder();
  const inFlight = new Set<Promise<void>>();
  const total = perSecond * seconds;
  const started = performance.now();
  const deadline = started + 2 * seconds * 1000;
  let sent = 0;
  let abandoned = 0;
  for (let index = 0; index < total; index++) {
    const planned = started + (index * 1000) / perSecond;
    const wait = planned - performance.now();
    if (wait > 1) await sleep(wait);
    while (inFlight.size >= perSecond && performance.now() < deadline) await Promise.race(inFlight);
    if (performance.now() >= deadline) {
      abandoned = total - index;
      for (let late = index; late < total; late++) tally.latencies.record(deadline - (started + (late * 1000) / perSecond));
      break;
    }
    const request = supply.next();
    if (!request) break;
    sent++;
    const second = bySecond[Math.floor(index / perSecond)]!;
    const done: Promise<void> = order.send(api, request).then((answer) => {
      const latencyMs = performance.now() - planned;
      tally.count(answer, latencyMs);
      second.record(latencyMs);
    });
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  }
  await Promise.all(inFlight);
  return { ...tally.result(sent, (performance.now() - started) / 1000), abandoned, p99BySecondMs: bySecond.map((second) => second.summary().p99Ms) };
}

/** Closed loop: N clients, each sending its next command as soon as the last one answered. */
async function maxRate(api: Api, supply: CommandSupply, clients: number, seconds: number): Promise<CommandLoad> {
  const tally = new Tally();
  const order = new StreamOrder();
  const started = performance.now();
  const until = started + seconds * 1000;
  let sent = 0;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() < until) {
      const request = supply.next();
      if (!request) return;
      sent++;
      const sentAt = performance.now();
      const answer = await order.send(api, request);
      tally.count(answer, performance.now() - sentAt);
    }
  }));
  return tally.result(sent, (performance.now() - started) / 1000);
}

export type WriteToVisible = LatencySummary & { commands: number; errors: number; firstError?: string; clients: number };

/** POST a command, then GET a read with its consistency token: from the POST's start to the read's answer. */
async function writeToVisible(writer: Api, reader: Api, supply: CommandSupply, commands: number, clients: number): Promise<WriteToVisible> {
  const latencies = new Latencies();
  let errors = 0;
  let firstError: string | undefined;
  let done = 0;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (done < commands) {
      const request = supply.next();
      if (!request) return;
      done++;
      const started = performance.now();
      const written = await writer.call('POST', request.path, { json: request.body });
      const token = (written.body as { consistencyToken?: string }).consistencyToken;
      if (written.status !== 201 || !token) {
        errors++;
        firstError ??= `POST ${request.path}: HTTP ${written.status} ${JSON.stringify(written.body).slice(0, 200)}`;
        continue;
      }
      const read = await reader.call('GET', request.read, { headers: { 'x-consistency-token': token } });
      if (read.status !== 200) {
        errors++;
        firstError ??= `GET ${request.read}: HTTP ${read.status} ${JSON.stringify(read.body).slice(0, 200)}`;
        continue;
      }
      latencies.record(performance.now() - started);
    }
  }));
  return { ...latencies.summary(), commands: done, errors, clients, ...(firstError ? { firstError } : {}) };
}

export type CommandsResult = {
  fixedRate: FixedRateLoad & { targetPerSec: number; warmUp: FixedRateLoad };
  maxRate: CommandLoad & { clients: number };
  writeToVisible: WriteToVisible;
  retractionsLeftOut: number;
};

export async function commands(context: BenchContext, writer: Api, reader: Api, pool: pg.Pool, corpus: BenchCorpus, firstLine: number): Promise<CommandsResult> {
  const supply = new CommandSupply(corpus, firstLine);
  const { fixedRate: fixed, maxRate: max, writeToVisible: visible } = context.options;
  // A process's first seconds of single commands run its request path cold (the import took
  // another): at 200 req/s the backlog they leave takes seconds to drain, and set the p99 of a
  // whole phase. They are measured, reported apart, and not counted, as the queries' warm-up.
  progress(`commands: ${fixed.perSecond} req/s for ${fixed.warmupSeconds} s to warm up…`);
  const warmUp = await fixedRate(writer, supply, fixed.perSecond, fixed.warmupSeconds);
  progress(`commands: warm-up p50 ${warmUp.p50Ms} ms, p99 ${warmUp.p99Ms} ms, ${warmUp.errors} errors; p99 of each second's requests: `
    + `${warmUp.p99BySecondMs.map((ms) => Math.round(ms)).join(' ')} ms`);
  progress(`commands: ${fixed.perSecond} req/s for ${fixed.seconds} s…`);
  const atFixedRate = await context.cpu.measure('commands at a fixed rate', () => fixedRate(writer, supply, fixed.perSecond, fixed.seconds));
  progress(`commands: at ${fixed.perSecond} req/s p50 ${atFixedRate.p50Ms} ms, p99 ${atFixedRate.p99Ms} ms, ${atFixedRate.errors} errors`
    + (atFixedRate.abandoned > 0 ? `, ${atFixedRate.abandoned} not sent in time (the server answers fewer than ${fixed.perSecond} a second)` : ''));
  progress(`commands: p99 of each second's requests: ${atFixedRate.p99BySecondMs.map((ms) => Math.round(ms)).join(' ')} ms`);
  progress(`commands: closed loop with ${max.clients} clients for ${max.seconds} s…`);
  const atMax = await context.cpu.measure('commands at the maximum', () => maxRate(writer, supply, max.clients, max.seconds));
  progress(`commands: max ${atMax.perSec} req/s, p50 ${atMax.p50Ms} ms, p99 ${atMax.p99Ms} ms, ${atMax.errors} errors`);
  // The closed loop's backlog in the projector would otherwise count as write-to-visible time.
  await waitUntilCaughtUp(pool, 300_000);
  progress(`commands: write-to-visible over ${visible.commands} commands…`);
  const visibleAfter = await context.cpu.measure('write-to-visible', () => writeToVisible(writer, reader, supply, visible.commands, visible.clients));
  progress(`commands: write-to-visible p50 ${visibleAfter.p50Ms} ms, p99 ${visibleAfter.p99Ms} ms, ${visibleAfter.errors} errors`);
  return {
    fixedRate: { ...atFixedRate, targetPerSec: fixed.perSecond, warmUp },
    maxRate: { ...atMax, clients: max.clients },
    writeToVisible: visibleAfter,
    retractionsLeftOut: supply.skippedRetractions,
  };
}
