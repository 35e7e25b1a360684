// Streams already folded by this process, so a command reads only the events appended since, not the
// whole history. Journal rows never change, so a state folded up to version v stays the state at v;
// every decision still reads what came after (and the unique (stream, version) refuses an append
// decided on anything older), so a cached state is never trusted beyond what the journal confirms.
import type { ChanceryDecider, ChanceryEvent, Recorded } from '#domain';
import type { EventEnvelope } from '#event-log';
import { recordedEventOf } from '#event-log';
import type { Journal } from '#journal';

export type FoldedStream = { version: number; state: unknown };

/** At most this many (stream, decider) states are kept; the least recently used go first. */
const defaultCapacity = 20_000;

export class StreamStates {
  private readonly folded = new Map<string, FoldedStream>();
  /** Parties and issues known to exist: a registration is never undone, so a yes never goes stale. */
  private readonly existing = new Set<string>();
  private readonly deciderIds = new Map<ChanceryDecider, number>();

  constructor(private readonly journal: Journal, private readonly capacity = defaultCapacity) {}

  private keyOf(streamId: string, decider: ChanceryDecider): string {
    let id = this.deciderIds.get(decider);
    if (id === undefined) {
      id = this.deciderIds.size;
      this.deciderIds.set(decider, id);
    }
    return `${id}:${streamId}`;
  }

  /** The kept state of a (stream, decider), marked as just used, or the initial state at version 0. */
  private keptOrInitial(streamId: string, decider: ChanceryDecider): FoldedStream {
    const key = this.keyOf(streamId, decider);
    const folded = this.folded.get(key);
    if (!folded) return { version: 0, state: decider.initialState() };
    // Map order is insertion order: re-inserting marks it as the most recently used.
    this.folded.delete(key);
    this.folded.set(key, folded);
    return folded;
  }

  /**
   * The state this process last folded for a (stream, decider), or the initial state at version 0 for
   * one it never saw: true at its version, though another writer may have moved the stream since.
   * Undefined when this process itself knows the stream to be further along, through another decider
   * (a retraction appended to it): deciding on this state would only cost a refused append.
   */
  lastKnown(streamId: string, decider: ChanceryDecider): FoldedStream | undefined {
    const kept = this.keptOrInitial(streamId, decider);
    for (const other of this.deciderIds.keys()) {
      if ((this.folded.get(this.keyOf(streamId, other))?.version ?? 0) > kept.version) return undefined;
    }
    return kept;
  }

  /** Keeps a stream's state at a version, unless a later one is already kept. */
  remember(streamId: string, decider: ChanceryDecider, folded: FoldedStream): void {
    const key = this.keyOf(streamId, decider);
    const known = this.folded.get(key);
    if (known && known.version >= folded.version) return;
    this.folded.delete(key);
    this.folded.set(key, folded);
    this.existing.add(streamId);
    while (this.folded.size > this.capacity) this.folded.delete(this.folded.keys().next().value!);
  }

  /**
   * The current state of each (stream, decider), read from the journal: only the events after the
   * version this process already folded, in one query for all of them.
   */
  async load(needs: ReadonlyArray<{ streamId: string; decider: ChanceryDecider }>): Promise<Map<string, Map<ChanceryDecider, FoldedStream>>> {
    const start = new Map<string, Map<ChanceryDecider, FoldedStream>>();
    const after = new Map<string, number>();
    for (const { streamId, decider } of needs) {
      const byDecider = start.get(streamId) ?? new Map<ChanceryDecider, FoldedStream>();
      start.set(streamId, byDecider);
      if (byDecider.has(decider)) continue;
      const folded = this.keptOrInitial(streamId, decider);
      byDecider.set(decider, folded);
      after.set(streamId, Math.min(after.get(streamId) ?? Infinity, folded.version));
    }
    const newer = await this.journal.readStreamsAfter(after);
    for (const [streamId, byDecider] of start) {
      const events = newer.get(streamId)!.map(recordedEventOf);
      for (const [decider, folded] of byDecider) {
        const current = foldOnto(decider, folded, events);
        byDecider.set(decider, current);
        if (current.version > 0) this.remember(streamId, decider, current);
      }
    }
    return start;
  }

  /** Which of these streams exist; only the ones not known to exist yet are looked up. */
  async existingOf(streamIds: string[]): Promise<Set<string>> {
    const unknown = streamIds.filter((id) => !this.existing.has(id));
    if (unknown.length > 0) {
      for (const id of await this.journal.existingStreams([...new Set(unknown)])) this.existing.add(id);
      if (this.existing.size > 10 * this.capacity) this.existing.clear();
    }
    return new Set(streamIds.filter((id) => this.existing.has(id)));
  }

  /** A stream is known to exist once something was appended to it. */
  exists(streamId: string): void {
    this.existing.add(streamId);
  }
}

/** A folded state moved on by the events after its version (earlier ones are already in it). */
export function foldOnto(decider: ChanceryDecider, folded: FoldedStream, events: ReadonlyArray<Recorded<ChanceryEvent>>): FoldedStream {
  let { version, state } = folded;
  for (const event of events) {
    if (event.streamVersion <= version) continue;
    state = decider.evolve(state, event);
    version = event.streamVersion;
  }
  return { version, state };
}

export function recordedOf(envelopes: EventEnvelope[]): Array<Recorded<ChanceryEvent>> {
  return envelopes.map(recordedEventOf);
}
