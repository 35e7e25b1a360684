// ICEWS coded event data (the Harvard Dataverse's tab-separated yearly files): a header row, then
// one event a row, `NA` where there is no value; Intensity is the event's Goldstein score.
import { type PartyKind } from '../parties/party.events.js';
import { type CodedEvent, type RowOutcome, boundedId, checkedEvent, present, shortened, slug } from './coded-event.js';

const required = ['Event ID', 'Event Date', 'Source Name', 'Source Sectors', 'Source Country', 'Event Text', 'CAMEO Code', 'Intensity',
  'Target Name', 'Target Sectors', 'Target Country', 'Story ID', 'Sentence Number', 'Publisher'] as const;

type Column = (typeof required)[number];

/** Where each column is, read from the header row; an error names the columns the header lacks. */
export type IcewsColumns = Readonly<Record<Column, number>>;

export function icewsColumns(header: string): IcewsColumns {
  const names = header.replace(/\r$/, '').split('\t').map((name) => name.trim());
  const missing = required.filter((name) => !names.includes(name));
  if (missing.length > 0) throw new Error(`not an ICEWS header: no column ${missing.map((name) => `"${name}"`).join(', ')}`);
  return Object.fromEntries(required.map((name) => [name, names.indexOf(name)])) as Record<Column, number>;
}

/**
 * An ICEWS actor as a party: `icews.<name>.<country>` (an actor's name alone is not unique: "Police
 * (India)" is, "Citizen" is not). No sectors: a country itself; an IGO or NGO sector: an
 * organization; anything else a group, since ICEWS does not tell a person from a body apart.
 */
export function icewsActor(name: string, sectors: string | undefined, country: string | undefined) {
  const kind: PartyKind = sectors === undefined ? 'state'
    : /Organization|IGO|NGO/.test(sectors) ? 'organization'
    : 'group';
  const id = boundedId(['icews', slug(name), ...(country === undefined ? [] : [slug(country)])].join('.'));
  return { id, name: shortened(name), kind };
}

export function icewsEvent(row: string, columns: IcewsColumns): RowOutcome {
  const fields = row.replace(/\r$/, '').split('\t');
  const field = (column: Column) => present(fields[columns[column]]);
  const eventId = field('Event ID');
  if (!eventId || !/^\d+$/.test(eventId)) return { refused: 'no Event ID' };
  const date = field('Event Date');
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) return { refused: `Event Date "${date ?? ''}" is not a date (YYYY-MM-DD)` };
  const sourceName = field('Source Name');
  const targetName = field('Target Name');
  if (!sourceName) return { refused: 'no Source Name' };
  if (!targetName) return { refused: 'no Target Name' };
  const cameo = field('CAMEO Code');
  if (!cameo) return { refused: 'no CAMEO Code' };
  const intensity = field('Intensity');
  const goldstein = intensity === undefined ? undefined : Number(intensity);
  if (goldstein !== undefined && Number.isNaN(goldstein)) return { refused: `Intensity "${intensity}" is not a number` };
  const eventText = field('Event Text') ?? cameo;
  const publisher = field('Publisher');
  const story = field('Story ID');
  const sentence = field('Sentence Number');
  const event: CodedEvent = {
    developmentId: `icews-${eventId}`,
    occurredAt: date,
    actor: icewsActor(sourceName, field('Source Sectors'), field('Source Country')),
    target: icewsActor(targetName, field('Target Sectors'), field('Target Country')),
    cameo,
    goldstein,
    summary: shortened(`${sourceName}: ${eventText} — ${targetName}`, 4000),
    source: {
      citation: `ICEWS event ${eventId}${story ? `, story ${story}` : ''}${sentence ? `, sentence ${sentence}` : ''}`,
      ...(publisher ? { outlet: shortened(publisher) } : {}),
      publishedAt: date,
    },
  };
  return checkedEvent(event);
}
