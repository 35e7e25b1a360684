// Runs one command end to end: load the stream, fold it, decide, append with the expected version.
// Every use case goes through here, over HTTP or from an import file.
import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { v7 as timeOrderedUuid } from 'uuid';
import {
  type ChanceryCommand, type ChanceryEvent, cameoOf, deciderForStream, isRejection, type Recorded,
  referencesOf, rejectionKinds, type Rejection, streamIdOf, partyStream, issueStream, UnknownSchemaVersion,
} from '#domain';
import type { NewEvent, StreamWrite } from '#journal';
import { recordedEventOf } from '#event-log';
import { IdempotencyKeyReused, Journal, StreamVersionConflict } from '#journal';
import { type Principal, ProblemError } from '#platform';
import { consistencyToken } from './consistency-token.js';
import { foldOnto, recordedOf, StreamStates } from './stream-states.js';

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

/**
 * Event ids are time-ordered UUIDs (version 7): each index keyed by event id (the journal's, the
 * timeline's, the developments') grows at its end rather than at random pages, each of which costs a
 * full-page image in the WAL after every checkpoint. A rebuild of a million events wrote 13.6 GB of
 * WAL with them, against 15.7–16.7 GB with random ones.
 */
function newEvents(decision: ChanceryEvent[], meta: CommandMeta): NewEvent[] {
  return decision.map((event) => ({
    eventId: timeOrderedUuid(),
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

/** The streams a command's references name: each must exist for the command to be decided. */
function referencedStreams(command: ChanceryCommand): string[] {
  const references = referencesOf(command);
  return [...references.parties.map(partyStream), ...references.issues.map(issueStream)];
}

function knownReferences(command: ChanceryCommand, existing: ReadonlySet<string>) {
  const references = referencesOf(command);
  return {
    knownParties: new Set(references.parties.filter((id) => existing.has(partyStream(id)))),
    knownIssues: new Set(references.issues.filter((id) => existing.has(issueStream(id)))),
  };
}

@Injectable()
export class CommandExecutor {
  private readonly logger = new Logger('Commands');
  private readonly streams: StreamStates;

  constructor(private readonly journal: Journal) {
    this.streams = new StreamStates(journal);
  }

  async execute(command: ChanceryCommand, meta: CommandMeta): Promise<CommandResponse> {
    const idempotency = meta.idempotencyKey
      ? { principal: meta.principal.name, key: meta.idempotencyKey, request: meta.request ?? JSON.stringify(command) }
      : undefined;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.decideAndAppend(command, meta, idempotency, attempt === 0);
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

  /**
   * One attempt: the command is decided, and its events appended in one statement at the version
   * decided on. On the first attempt without If-Match it is decided on the state this process already
   * folded, without reading the journal: the append succeeds only if the stream is still at that
   * version, and a conflict makes the next attempt read what came since. A rejection is trusted only
   * once decided on what the journal holds. The references' existence is read alongside, and on the
   * first attempt a repeat of the idempotency key, which answers before anything is decided.
   */
  private async decideAndAppend(
    command: ChanceryCommand,
    meta: CommandMeta,
    idempotency: { principal: string; key: string; request: string } | undefined,
    firstAttempt: boolean,
  ): Promise<CommandResponse> {
    const repeat = idempotency && firstAttempt ? this.journal.idempotentResponse<CommandResponse>(idempotency) : undefined;
    // A failing read must not leave the repeat's lookup unobserved.
    repeat?.catch(() => {});
    const streamId = await this.streamOf(command);
    const decider = deciderForStream(streamId, command);
    const read = async () => (await this.streams.load([{ streamId, decider }])).get(streamId)!.get(decider)!;
    const kept = firstAttempt && meta.expectedVersion === undefined ? this.streams.lastKnown(streamId, decider) : undefined;
    const [readState, existing, first] = await Promise.all([
      kept ? undefined : read(),
      this.streams.existingOf(referencedStreams(command)),
      repeat,
    ]);
    if (first) return first;
    const context = { now: new Date(), ...knownReferences(command, existing) };
    let { version, state } = readState ?? kept!;
    if (meta.expectedVersion !== undefined && meta.expectedVersion !== version) {
      throw ProblemError.of(409, 'version-conflict',
        `If-Match expected version ${meta.expectedVersion} of ${streamId}, but it is at version ${version}.`, { currentVersion: version });
    }
    let decision = decider.decide(command, state, context);
    if (isRejection(decision) && !readState) {
      ({ version, state } = await read());
      decision = decider.decide(command, state, context);
    }
    if (isRejection(decision)) throw rejectionProblem(decision);

    const outcome = await this.journal.append<CommandResponse>({
      streamId,
      expectedVersion: version,
      idempotency,
      events: newEvents(decision, meta),
      respond: (appended) => responseOf(meta, streamId, appended),
    });
    if (outcome.kind === 'appended') this.streams.remember(streamId, decider, foldOnto(decider, { version, state }, recordedOf(outcome.events)));
    // The correlation id runs from the request through the events (journal, Kafka) to the projections' logs.
    this.logger.debug({ correlationId: meta.correlationId, command: command.type, streamId, version: outcome.response.version,
      eventIds: outcome.response.eventIds, recordedBy: meta.principal.name }, 'command recorded');
    return outcome.response;
  }

  /**
   * Many commands at once (the bulk import): one read of what every stream they touch gained since
   * this process last folded it, decisions in order against the state so far (a demand issued on
   * line 3 can be rejected on line 4), one statement for all the events. If another writer moved one
   * of the streams meanwhile, the batch is refused whole and run again one command at a time.
   */
  async executeMany(items: BatchItem[]): Promise<BatchOutcome[]> {
    const retracted = items.flatMap(({ command }) => (command.type === 'RetractEvent' ? [command.data.eventId] : []));
    const streamOfEvent = retracted.length > 0 ? await this.journal.streamsOfEvents(retracted) : new Map<string, string>();
    const targets = items.map(({ command }) => {
      const streamId = command.type === 'RetractEvent' ? streamOfEvent.get(command.data.eventId) : streamIdOf(command);
      return streamId === undefined ? undefined : { streamId, decider: deciderForStream(streamId, command) };
    });
    const [streams, existing] = await Promise.all([
      this.streams.load(targets.filter((target) => target !== undefined)),
      this.streams.existingOf([...new Set(items.flatMap(({ command }) => referencedStreams(command)))]),
    ]);

    // Per stream, the state of every decider used on it in this batch (a retraction folds the same
    // stream with its own decider), each moved on by every event the batch decides there.
    const writes: StreamWrite[] = [];
    const outcomes: BatchOutcome[] = [];
    const now = new Date();
    for (const [index, { command, meta }] of items.entries()) {
      const target = targets[index];
      if (target === undefined) {
        outcomes.push({ problem: ProblemError.of(404, 'event-not-found', `No event has the id ${(command.data as { eventId: string }).eventId}.`) });
        continue;
      }
      const { streamId, decider } = target;
      const folded = streams.get(streamId)!;
      const { version, state } = folded.get(decider)!;
      const decision = decider.decide(command, state, { now, ...knownReferences(command, existing) });
      if (isRejection(decision)) {
        outcomes.push({ problem: rejectionProblem(decision) });
        continue;
      }
      const events = newEvents(decision, meta);
      const recorded: Array<Recorded<ChanceryEvent>> = events.map((event, offset) => recordedEventOf({
        ...event, streamId, streamVersion: version + offset + 1, globalPosition: '0', recordedAt: now.toISOString(),
      }));
      for (const [streamDecider, streamState] of folded) folded.set(streamDecider, foldOnto(streamDecider, streamState, recorded));
      existing.add(streamId);
      writes.push({ streamId, expectedVersion: version, events });
      outcomes.push({ response: responseOf(meta, streamId, recorded) });
    }

    try {
      await this.journal.appendMany(writes);
    } catch (error) {
      if (!(error instanceof StreamVersionConflict)) throw error;
      return this.executeOneByOne(items);
    }
    // Only what committed is kept for the next batch or request.
    for (const [streamId, folded] of streams) {
      for (const [decider, state] of folded) if (state.version > 0) this.streams.remember(streamId, decider, state);
    }
    this.logger.debug({ correlationId: items[0]?.meta.correlationId, commands: items.length, appended: writes.length }, 'command batch recorded');
    return outcomes;
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
