// A synthetic but valid history: commands in a realistic mix, each decided by the real deciders
// against the streams so far, so every event is one the API could have recorded. Deterministic
// for a seed: the crash tests, the property test and the benchmark replay the same history.
import {
  type ChanceryCommand, type ChanceryDecider, type ChanceryEvent, deciderFor, isRejection, malformedData, type Recorded,
  stateFrom, streamIdOf,
} from '#domain';

/** One command's events, with the event ids to append them under (retractions name them). */
export type CorpusBatch = { streamId: string; events: ChanceryEvent[]; eventIds: string[] };

export type CorpusOptions = { seed?: number; parties?: number; issues?: number; commands: number; startDate?: string };

/** mulberry32: a small, fast, seedable generator; quality is ample for test data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const stances = ['supports', 'opposes', 'open-to-discuss', 'conditional', 'neutral', 'rejects'] as const;
const severities = ['low', 'medium', 'high', 'critical'] as const;
/** Codes of developments without a lifecycle, from every quad class: an appeal for aid to a use of force. */
const cameoCodes = ['0233', '0311', '042', '057', '073', '0841', '111', '1312', '141', '163', '173', '190'];
const source = [{ citation: 'synthetic corpus', outlet: 'Chancery bench' }];

export function* corpus(options: CorpusOptions): Generator<CorpusBatch> {
  const next = random(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const parties = Array.from({ length: options.parties ?? 40 }, (_, index) => `P${index}`);
  const issues = Array.from({ length: options.issues ?? 20 }, (_, index) => `issue-${index}`);
  const partyIndex = new Map(parties.map((party, index) => [party, index]));
  /** `pick` over the parties but `excluded`, without building that list: parties grow with the corpus. */
  const pickPartyExcept = (...excluded: string[]): string => {
    let index = Math.floor(next() * (parties.length - excluded.length));
    for (const skipped of excluded.map((party) => partyIndex.get(party)!).sort((a, b) => a - b)) if (index >= skipped) index++;
    return parties[index]!;
  };
  // Each stream's history, and its state as folded by each decider that decided on it so far: a
  // command folds only what its stream gained since (folding whole histories made this quadratic).
  const streams = new Map<string, { history: Recorded<ChanceryEvent>[]; states: Map<ChanceryDecider, unknown> }>();
  const historyOf = (streamId: string) => streams.get(streamId)?.history;
  const open = { demands: [] as string[], meetings: [] as string[], proposals: [] as string[] };
  const retractable: Array<{ eventId: string; streamId: string }> = [];
  const start = Date.parse(options.startDate ?? '2020-01-01');
  const uuid = () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
  let day = 0;
  let serial = 0;

  const context = { now: new Date('2030-01-01'), knownParties: new Set(parties), knownIssues: new Set(issues) };

  /** As `decideCommand` decides, on the state kept for the stream rather than its folded history. */
  function* decide(command: ChanceryCommand, streamId = streamIdOf(command)): Generator<CorpusBatch, boolean> {
    if (malformedData(command)) return false;
    const stream = streams.get(streamId) ?? { history: [], states: new Map<ChanceryDecider, unknown>() };
    streams.set(streamId, stream);
    const decider = deciderFor(command);
    if (!stream.states.has(decider)) stream.states.set(decider, stateFrom(decider, stream.history));
    const decision = decider.decide(command, stream.states.get(decider), context);
    if (isRejection(decision)) return false;
    const recorded = decision.map((event, index) => ({
      ...event, eventId: uuid(), streamId,
      streamVersion: stream.history.length + index + 1, recordedAt: new Date().toISOString(),
    })) as Recorded<ChanceryEvent>[];
    stream.history.push(...recorded);
    for (const [folding, state] of stream.states) stream.states.set(folding, recorded.reduce(folding.evolve, state));
    yield { streamId, events: decision, eventIds: recorded.map((event) => event.eventId) };
    return true;
  }

  for (const id of parties) yield* decide({ type: 'RegisterParty', data: { id, name: `Party ${id}`, kind: pick(['state', 'organization'] as const) } });
  for (const id of issues) yield* decide({ type: 'RegisterIssue', data: { id, title: `Issue ${id}` } });

  for (let made = 0; made < options.commands; made++) {
    if (next() < 0.3) day++;
    const occurredAt = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
    const provenance = { occurredAt, sources: source, confidence: 'reported' as const };
    const by = pick(parties);
    const to = [pickPartyExcept(by)];
    if (next() < 0.3) to.push(pickPartyExcept(by, to[0]!));
    const roll = next();
    const id = `c${++serial}`;
    if (roll < 0.3) {
      yield* decide({ type: 'StatePosition', data: { by, issue: pick(issues), stance: pick(stances), summary: `stance ${id}`, ...provenance } });
    } else if (roll < 0.45) {
      if (yield* decide({ type: 'IssueDemand', data: { demandId: id, by, addressedTo: to, issue: pick(issues), summary: `demand ${id}`, ...provenance } })) open.demands.push(id);
    } else if (roll < 0.6 && open.demands.length > 0) {
      const demandId = pick(open.demands);
      const issued = historyOf(`demand-${demandId}`)![0]!.data as { by: string; addressedTo: string[] };
      const type = next() < 0.15 ? 'WithdrawDemand' : next() < 0.7 ? 'RejectDemand' : 'AcceptDemand';
      const answerer = type === 'WithdrawDemand' ? issued.by : pick(issued.addressedTo);
      yield* decide({ type, data: { demandId, by: answerer, ...provenance } } as ChanceryCommand);
    } else if (roll < 0.72) {
      const participants = [by, ...to];
      const scheduled = next() < 0.3;
      const command = scheduled
        ? { type: 'ScheduleMeeting', data: { meetingId: id, title: `meeting ${id}`, participants, scheduledFor: occurredAt, ...provenance } }
        : { type: 'HoldMeeting', data: { meetingId: id, title: `meeting ${id}`, participants, format: next() < 0.3 ? 'talks' : 'consultation', ...provenance } };
      if ((yield* decide(command as ChanceryCommand)) && scheduled) open.meetings.push(id);
    } else if (roll < 0.76 && open.meetings.length > 0) {
      const meetingId = open.meetings.splice(Math.floor(next() * open.meetings.length), 1)[0]!;
      const participants = (historyOf(`meeting-${meetingId}`)![0]!.data as { participants: string[] }).participants;
      yield* decide((next() < 0.7
        ? { type: 'RecordMeetingHeld', data: { meetingId, outcome: 'held', ...provenance } }
        : { type: 'CancelMeeting', data: { meetingId, by: pick(participants), ...provenance } }) as ChanceryCommand);
    } else if (roll < 0.83) {
      yield* decide({ type: 'GiveWarning', data: { warningId: id, by, to, issue: pick(issues), consequence: `consequence ${id}`, severity: pick(severities), kind: next() < 0.3 ? 'military' : 'diplomatic', ...provenance } });
    } else if (roll < 0.86) {
      yield* decide({ type: 'RecordCodedDevelopment', data: { developmentId: id, by, to, cameo: pick(cameoCodes), summary: `development ${id}`, ...provenance } });
    } else if (roll < 0.94) {
      if (yield* decide({ type: 'MakeProposal', data: { proposalId: id, by, to, issue: pick(issues), summary: `proposal ${id}`, ...provenance } })) open.proposals.push(id);
    } else if (roll < 0.98 && open.proposals.length > 0) {
      const proposalId = pick(open.proposals);
      const made = historyOf(`proposal-${proposalId}`)![0]!.data as { to: string[] };
      yield* decide({ type: next() < 0.6 ? 'DeclineProposal' : 'AcceptProposal', data: { proposalId, by: pick(made.to), ...provenance } } as ChanceryCommand);
    } else if (retractable.length > 0) {
      const target = retractable.splice(Math.floor(next() * retractable.length), 1)[0]!;
      yield* decide({ type: 'RetractEvent', data: { eventId: target.eventId, reason: 'misreported' } }, target.streamId);
    }
    const statements = historyOf(`party-${by}`);
    const last = statements?.at(-1);
    if (last?.type === 'PositionStated' && next() < 0.05) retractable.push({ eventId: last.eventId, streamId: last.streamId });
  }
}
