// Runs one command end to end: load the stream, fold it, decide, append with the expected version.
// Every use case goes through here, over HTTP or from an import file.
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ChanceryCommand, type ChanceryDecider, type ChanceryEvent, cameoOf, deciderForStream, isRejection, type Recorded,
  referencesOf, rejectionKinds, type Rejection, streamIdOf, partyStream, issueStream, UnknownSchemaVersion,
} from '#domain';
import type { NewEvent, StreamWrite } from '#journal';
import { recordedEventOf } from '#event-log';
import { IdempotencyKeyReused, Journal, StreamVersionConflict } from '#journal';
import { type Principal, ProblemError } from '#platform';
import { consistencyToken } from './consistency-token.js';

export type CommandMeta = {
  principal: Principal;
  correlationId: string;
  idempotencyKey?: string;
  /** What makes two requests "the same" for the key: the request as sent, before ids are made up. */
  request?: string;
  /** From If-Match: the command is refused unless the stream is still at this version. */
  expectedVersion?: number;
  /** The id the response names: the new demand's, meeting's…, the party's, or a statement's event id. */
  resourceId: (eventIds: string[]) => string;
};

export type CommandResponse = {
  id: string;
  streamId: string;
  version: number;
  eventIds: string[];
  consistencyToken: string;
};

/**
 * Without If-Match, a command that lost a race for its stream's next version is decided again on
 * the new state, up to this many times, after a short random pause so racers spread out.
 */
const raceRetries = 10;

const statusOfKind = { 'not-found': 404, conflict: 409, unprocessable: 422 } as const;

export function rejectionProblem(rejection: Rejection): ProblemError {
  const status = statusOfKind[rejectionKinds[rejection.rejection]];
  const code = rejection.rejection.toLowerCase().replaceAll('_', '-');
  return ProblemError.of(status, code, rejection.message, {
    code: rejection.rejection,
    ...(rejection.path ? { errors: [{ path: rejection.path, message: rejection.message }] } : {}),
  });
}

export type BatchItem = { command: ChanceryCommand; meta: CommandMeta };
export type BatchOutcome = { response: CommandResponse } | { problem: ProblemError };

function newEvents(decision: ChanceryEvent[], meta: CommandMeta): NewEvent[] {
  return decision.map((event) => ({
    eventId: randomUUID(),
    type: event.type,
    schemaVersion: event.schemaVersion,
    occurredAt: event.occurredAt,
    sources: event.sources,
    confidence: event.confidence ?? null,
    cameo: cameoOf(event),
    data: event.data as Record<string, unknown>,
    recordedBy: meta.principal.name,
    correlationId: meta.correlationId,
    causationId: null,
  }));
}

function responseOf(meta: CommandMeta, streamId: string, events: Array<{ eventId: string; streamVersion: number }>): CommandResponse {
  const version = events.at(-1)!.streamVersion;
  return {
    id: meta.resourceId(events.map((event) => event.eventId)),
    streamId,
    version,
    eventIds: events.map((event) => event.eventId),
    consistencyToken: consistencyToken({ streamId, version }),
  };
}

@Injectable()
export class CommandExecutor {
  private readonly logger = new Logger('Commands');

  constructor(private readonly journal: Journal) {}

  async execute(command: ChanceryCommand, meta: CommandMeta): Promise<CommandResponse> {
    const idempotency = meta.idempotencyKey
      ? { principal: meta.principal.name, key: meta.idempotencyKey, request: meta.request ?? JSON.stringify(command) }
      : undefined;
    try {
      if (idempotency) {
        const first = await this.journal.idempotentResponse<CommandResponse>(idempotency);
        if (first) return first;
      }
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.decideAndAppend(command, meta, idempotency);
        } catch (error) {
          if (!(error instanceof StreamVersionConflict) || meta.expectedVersion !== undefined || attempt >= raceRetries) throw error;
          await sleep(Math.random() * 2 * (attempt + 1));
        }
      }
    } catch (error) {
      if (error instanceof StreamVersionConflict) {
        throw ProblemError.of(409, 'version-conflict',
          `The stream ${error.streamId} changed while this command was decided; read it again and retry.`);
      }
      if (error instanceof IdempotencyKeyReused) throw ProblemError.of(422, 'idempotency-key-reused', error.message);
      if (error instanceof UnknownSchemaVersion) {
        // The stream holds an event a newer deployment wrote: this instance must be upgraded first.
        throw ProblemError.of(503, 'newer-event-version', error.message);
      }
      throw error;
    }
  }

  private async streamOf(command: ChanceryCommand): Promise<string> {
    if (command.type !== 'RetractEvent') return streamIdOf(command);
    const stream = await this.journal.streamOfEvent(command.data.eventId);
    if (!stream) throw ProblemError.of(404, 'event-not-found', `No event has the id ${command.data.eventId}.`);
    return stream;
  }

  private async decideAndAppend(
    command: ChanceryCommand,
    meta: CommandMeta,
    idempotency: { principal: string; key: string; request: string } | undefined,
  ): Promise<CommandResponse> {
    const streamId = await this.streamOf(command);
    const history = await this.journal.readStream(streamId);
    const version = history.at(-1)?.streamVersion ?? 0;
    if (meta.expectedVersion !== undefined && meta.expectedVersion !== version) {
      throw ProblemError.of(409, 'version-conflict',
        `If-Match expected version ${meta.expectedVersion} of ${streamId}, but it is at version ${version}.`, { currentVersion: version });
    }
    const decider = deciderForStream(streamId, command);
    const state = history.map(recordedEventOf).reduce(decider.evolve, decider.initialState());
    const references = referencesOf(command);
    const existing = await this.journal.existingStreams([
      ...references.parties.map(partyStream), ...references.issues.map(issueStream)]);
    const decision = decider.decide(command, state, {
      now: new Date(),
      knownParties: new Set(references.parties.filter((id) => existing.has(partyStream(id)))),
      knownIssues: new Set(references.issues.filter((id) => existing.has(issueStream(id)))),
    });
    if (isRejection(decision)) throw rejectionProblem(decision);

    const outcome = await this.journal.append<CommandResponse>({
      streamId,
      expectedVersion: version,
      idempotency,
      events: newEvents(decision, meta),
      respond: (appended) => responseOf(meta, streamId, appended),
    });
    // The correlation id runs from the request through the events (journal, Kafka) to the projections' logs.
    this.logger.debug({ correlationId: meta.correlationId, command: command.type, streamId, version: outcome.response.version,
      eventIds: outcome.response.eventIds, recordedBy: meta.principal.name }, 'command recorded');
    return outcome.response;
  }

  /**
   * Many commands at once (the bulk import): one read of every stream they touch, decisions in
   * order against the state so far (a demand issued on line 3 can be rejected on line 4), one
   * transaction for all the events. If another writer moved one of the streams meanwhile, the
   * batch is undone and run again one command at a time.
   */
  async executeMany(items: BatchItem[]): Promise<BatchOutcome[]> {
    const retracted = items.flatMap(({ command }) => (command.type === 'RetractEvent' ? [command.data.eventId] : []));
    const streamOfEvent = await this.journal.streamsOfEvents(retracted);
    const streamIds = items.map(({ command }) =>
      command.type === 'RetractEvent' ? streamOfEvent.get(command.data.eventId) : streamIdOf(command));
    const histories = await this.journal.readStreams([...new Set(streamIds.filter((id): id is string => id !== undefined))]);
    const references = items.map(({ command }) => referencesOf(command));
    const existing = await this.journal.existingStreams([...new Set(references.flatMap((refs) => [
      ...refs.parties.map(partyStream), ...refs.issues.map(issueStream)]))]);

    // Per stream: its events so far (history and this batch's), and the state folded by the decider
    // last used on it. A retraction uses the retraction decider on the same stream, so the state is
    // folded again whenever the decider changes.
    const streams = new Map<string, { events: Recorded<ChanceryEvent>[]; decider?: ChanceryDecider; state?: unknown }>();
    const writes: Array<{ index: number; write: StreamWrite }> = [];
    const outcomes: BatchOutcome[] = [];
    const now = new Date();
    for (const [index, { command, meta }] of items.entries()) {
      const streamId = streamIds[index];
      if (streamId === undefined) {
        outcomes.push({ problem: ProblemError.of(404, 'event-not-found', `No event has the id ${(command.data as { eventId: string }).eventId}.`) });
        continue;
      }
      const decider = deciderForStream(streamId, command);
      let stream = streams.get(streamId);
      if (!stream) {
        stream = { events: (histories.get(streamId) ?? []).map(recordedEventOf) };
        streams.set(streamId, stream);
      }
      if (stream.decider !== decider) {
        stream.state = stream.events.reduce(decider.evolve, decider.initialState());
        stream.decider = decider;
      }
      const refs = references[index]!;
      const decision = decider.decide(command, stream.state, {
        now,
        knownParties: new Set(refs.parties.filter((id) => existing.has(partyStream(id)))),
        knownIssues: new Set(refs.issues.filter((id) => existing.has(issueStream(id)))),
      });
      if (isRejection(decision)) {
        outcomes.push({ problem: rejectionProblem(decision) });
        continue;
      }
      const events = newEvents(decision, meta);
      const write = { streamId, expectedVersion: stream.events.length, events };
      for (const [offset, event] of events.entries()) {
        const appended = recordedEventOf({
          ...event, streamId, streamVersion: write.expectedVersion + offset + 1, globalPosition: '0', recordedAt: now.toISOString(),
        });
        stream.events.push(appended);
        stream.state = decider.evolve(stream.state, appended);
      }
      existing.add(streamId);
      writes.push({ index, write });
      outcomes.push({
        response: responseOf(meta, streamId, events.map((event, offset) => ({ eventId: event.eventId, streamVersion: write.expectedVersion + offset + 1 }))),
      });
    }

    try {
      await this.journal.appendMany(writes.map(({ write }) => write));
      this.logger.debug({ correlationId: items[0]?.meta.correlationId, commands: items.length, appended: writes.length }, 'command batch recorded');
      return outcomes;
    } catch (error) {
      if (!(error instanceof StreamVersionConflict)) throw error;
      return this.executeOneByOne(items);
    }
  }

  private async executeOneByOne(items: BatchItem[]): Promise<BatchOutcome[]> {
    const outcomes: BatchOutcome[] = [];
    for (const { command, meta } of items) {
      try {
        outcomes.push({ response: await this.execute(command, meta) });
      } catch (error) {
        if (!(error instanceof ProblemError)) throw error;
        outcomes.push({ problem: error });
      }
    }
    return outcomes;
  }
}
