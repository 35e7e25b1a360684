// GDELT 2.0 events export (the 15-minute `*.export.CSV` files): tab-separated, no header, the 61
// columns of the GDELT 2.0 Event Database codebook. Only the fields a development needs are read.
import { type PartyKind } from '../parties/party.events.js';
import { cameoEntry } from '../shared/cameo.js';
import { type CodedEvent, type RowOutcome, boundedId, checkedEvent, present, shortened } from './coded-event.js';

export const gdeltColumnCount = 61;

/** Zero-based column positions, named as the codebook names them. */
const column = {
  GLOBALEVENTID: 0, SQLDATE: 1,
  Actor1Code: 5, Actor1Name: 6, Actor1CountryCode: 7, Actor1Type1Code: 12,
  Actor2Code: 15, Actor2Name: 16, Actor2CountryCode: 17, Actor2Type1Code: 22,
  EventCode: 26, GoldsteinScale: 30, ActionGeo_FullName: 52, DATEADDED: 59, SOURCEURL: 60,
} as const;

const organizationTypes = new Set(['IGO', 'NGO', 'IMG', 'MNC']);

/**
 * A GDELT actor as a party: `gdelt.<actor code>` (the code already joins country and role:
 * `RUSGOV`, `USAMIL`). An actor code that is a country code alone is that state; IGO, NGO, IMG and
 * MNC types are organizations; the rest groups.
 */
export function gdeltActor(code: string, name: string | undefined, country: string | undefined, type: string | undefined) {
  const kind: PartyKind = country !== undefined && code === country ? 'state'
    : type !== undefined && organizationTypes.has(type) ? 'organization'
    : 'group';
  return { id: boundedId(`gdelt.${code}`), name: shortened(name ?? code), kind };
}

const dayOf = (yyyymmdd: string) => `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;

export function gdeltEvent(row: string): RowOutcome {
  const fields = row.replace(/\r$/, '').split('\t');
  if (fields.length !== gdeltColumnCount) return { refused: `${fields.length} columns, not the ${gdeltColumnCount} of a GDELT 2.0 event` };
  const field = (name: keyof typeof column) => present(fields[column[name]]);
  const eventId = field('GLOBALEVENTID');
  if (!eventId || !/^\d+$/.test(eventId)) return { refused: 'no GLOBALEVENTID' };
  const date = field('SQLDATE');
  if (!date || !/^\d{8}$/.test(date) || Number.isNaN(Date.parse(dayOf(date)))) return { refused: `SQLDATE "${date ?? ''}" is not a date (YYYYMMDD)` };
  const actor1 = field('Actor1Code');
  const actor2 = field('Actor2Code');
  // GDELT records events with one actor (a protest, a statement); a development needs both.
  if (!actor1) return { refused: 'no Actor1Code' };
  if (!actor2) return { refused: 'no Actor2Code' };
  const cameo = field('EventCode');
  if (!cameo) return { refused: 'no EventCode' };
  const score = field('GoldsteinScale');
  const goldstein = score === undefined ? undefined : Number(score);
  if (goldstein !== undefined && Number.isNaN(goldstein)) return { refused: `GoldsteinScale "${score}" is not a number` };
  const url = field('SOURCEURL');
  const added = field('DATEADDED');
  const actor = gdeltActor(actor1, field('Actor1Name'), field('Actor1CountryCode'), field('Actor1Type1Code'));
  const target = gdeltActor(actor2, field('Actor2Name'), field('Actor2CountryCode'), field('Actor2Type1Code'));
  const place = field('ActionGeo_FullName');
  const event: CodedEvent = {
    developmentId: `gdelt-${eventId}`,
    occurredAt: dayOf(date),
    actor,
    target,
    cameo,
    goldstein,
    summary: shortened(`${actor.name}: ${cameoEntry(cameo)?.name ?? `CAMEO ${cameo}`} — ${target.name}${place ? ` (${place})` : ''}`, 4000),
    source: {
      ...(url && /^https?:\/\//.test(url) && url.length <= 2048 ? { url } : { citation: `GDELT event ${eventId}` }),
      ...(added && /^\d{14}$/.test(added) ? { publishedAt: `${dayOf(added)}T${added.slice(8, 10)}:${added.slice(10, 12)}:${added.slice(12, 14)}Z` } : {}),
    },
  };
  return checkedEvent(event);
}
