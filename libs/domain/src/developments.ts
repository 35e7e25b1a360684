// What a development means to the read models: its CAMEO code, its parties, the pairs it scores and the positions it sets.
import { type ChanceryEvent } from './events.js';
import { type Cameo, cameoOfCode } from './shared/cameo.js';
import { type Stance } from './shared/stances.js';

/** The code each lifecycle development maps to (DESIGN §5): a coded development carries its own. */
const cameo = (code: string): Cameo => cameoOfCode(code);

/** Null for events that are not developments between parties (registrations, withdrawals, retractions). */
export function cameoOf(event: ChanceryEvent): Cameo | null {
  switch (event.type) {
    case 'DemandIssued':
      return cameo('100');
    case 'DemandRejected':
      return cameo('120');
    case 'DemandAccepted':
    case 'ProposalAccepted':
      return cameo('080');
    case 'MeetingScheduled':
      return cameo('036');
    case 'MeetingHeld':
      return cameo(event.data.negotiation ? '046' : '040');
    case 'MeetingCancelled':
      return cameo('164');
    case 'WarningGiven':
      return cameo(event.data.kind === 'military' ? '138' : '130');
    case 'ProposalMade':
      return cameo('030');
    case 'ProposalDeclined':
      return cameo('125');
    case 'PositionStated':
      return cameo('010');
    case 'CodedDevelopmentRecorded':
      return { ...event.data.cameo };
    case 'PartyRegistered':
    case 'IssueRegistered':
    case 'DemandWithdrawn':
    case 'EventRetracted':
      return null;
    default: {
      const _exhaustive: never = event;
      return null;
    }
  }
}

/** The actor first, then its counterparts, each once (DESIGN §5 "parties of a development"). */
export function partiesOf(event: ChanceryEvent): string[] {
  return [...new Set(partyList(event))];
}

function partyList(event: ChanceryEvent): string[] {
  switch (event.type) {
    case 'PartyRegistered':
      return [event.data.partyId];
    case 'IssueRegistered':
      return [];
    case 'DemandIssued':
    case 'DemandWithdrawn':
      return [event.data.by, ...event.data.addressedTo];
    case 'DemandRejected':
    case 'DemandAccepted':
      return [event.data.by, event.data.issuer];
    case 'MeetingScheduled':
    case 'MeetingHeld':
      return event.data.participants;
    case 'MeetingCancelled':
      return [event.data.by, ...event.data.participants];
    case 'WarningGiven':
    case 'ProposalMade':
    case 'CodedDevelopmentRecorded':
      return [event.data.by, ...event.data.to];
    case 'ProposalDeclined':
    case 'ProposalAccepted':
      return [event.data.by, event.data.proposer];
    case 'PositionStated':
      return [event.data.by];
    case 'EventRetracted':
      return event.data.retractedParties;
    default: {
      const _exhaustive: never = event;
      return [];
    }
  }
}

/**
 * The unordered pairs a relation score counts the development for, each sorted and once: the actor
 * with each counterpart; for a meeting held or scheduled, every pair of participants. A cancellation
 * is one party's act, so it pairs the canceller with the other participants. A retraction pairs
 * nothing: the relation projection removes the retracted event's own contribution.
 */
export function counterpartPairs(event: ChanceryEvent): Array<[string, string]> {
  switch (event.type) {
    case 'DemandIssued':
    case 'DemandWithdrawn':
      return actorWith(event.data.by, event.data.addressedTo);
    case 'DemandRejected':
    case 'DemandAccepted':
      return actorWith(event.data.by, [event.data.issuer]);
    case 'MeetingScheduled':
    case 'MeetingHeld':
      return everyPair(event.data.participants);
    case 'MeetingCancelled':
      return actorWith(event.data.by, event.data.participants);
    case 'WarningGiven':
    case 'ProposalMade':
    case 'CodedDevelopmentRecorded':
      return actorWith(event.data.by, event.data.to);
    case 'ProposalDeclined':
    case 'ProposalAccepted':
      return actorWith(event.data.by, [event.data.proposer]);
    case 'PartyRegistered':
    case 'IssueRegistered':
    case 'PositionStated':
    case 'EventRetracted':
      return [];
    default: {
      const _exhaustive: never = event;
      return [];
    }
  }
}

function pair(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

function distinctPairs(pairs: Array<[string, string]>): Array<[string, string]> {
  const seen = new Set<string>();
  return pairs.filter(([a, b]) => {
    const key = JSON.stringify([a, b]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function actorWith(actor: string, counterparts: readonly string[]): Array<[string, string]> {
  return distinctPairs(counterparts.filter((counterpart) => counterpart !== actor).map((counterpart) => pair(actor, counterpart)));
}

function everyPair(participants: readonly string[]): Array<[string, string]> {
  const distinct = [...new Set(participants)];
  return distinct.flatMap((a, index) => distinct.slice(index + 1).map((b) => pair(a, b)));
}

export type StanceEffect = { party: string; issue: string; stance: Stance };

/**
 * The stances a development sets (DESIGN §5, "position effect"). A party's position on an issue is
 * its latest non-retracted stance-setting event by `occurredAt`. A proposal without an issue sets none;
 * a coded development never sets one (its code says what a party did, not where it stands).
 */
export function stanceEffects(event: ChanceryEvent): StanceEffect[] {
  switch (event.type) {
    case 'DemandIssued':
      return [{ party: event.data.by, issue: event.data.issue, stance: 'demands' }];
    case 'DemandRejected':
      return [{ party: event.data.by, issue: event.data.issue, stance: 'rejects' }];
    case 'DemandAccepted':
      return [{ party: event.data.by, issue: event.data.issue, stance: 'accepts' }];
    case 'ProposalMade':
      return event.data.issue === undefined ? [] : [{ party: event.data.by, issue: event.data.issue, stance: 'proposes' }];
    case 'ProposalDeclined':
      return event.data.issue === undefined ? [] : [{ party: event.data.by, issue: event.data.issue, stance: 'rejects' }];
    case 'ProposalAccepted':
      return event.data.issue === undefined ? [] : [{ party: event.data.by, issue: event.data.issue, stance: 'accepts' }];
    case 'PositionStated':
      return [{ party: event.data.by, issue: event.data.issue, stance: event.data.stance }];
    case 'PartyRegistered':
    case 'IssueRegistered':
    case 'DemandWithdrawn':
    case 'MeetingScheduled':
    case 'MeetingHeld':
    case 'MeetingCancelled':
    case 'WarningGiven':
    case 'CodedDevelopmentRecorded':
    case 'EventRetracted':
      return [];
    default: {
      const _exhaustive: never = event;
      return [];
    }
  }
}

/**
 * Stances a development ends rather than sets: a withdrawal ends the issuer's `demands` from the
 * DemandIssued of the same `demandId`, so that event stops counting as the issuer's position (as if
 * retracted from that valid time on) and the position falls back to the latest stance before it.
 */
export function stanceEndings(event: ChanceryEvent): Array<StanceEffect & { demandId: string }> {
  return event.type === 'DemandWithdrawn'
    ? [{ party: event.data.by, issue: event.data.issue, stance: 'demands', demandId: event.data.demandId }]
    : [];
}
