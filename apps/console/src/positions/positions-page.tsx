// Positions grid: parties × issues, each cell the party's stance, as it was (`asOf`, valid time)
// and as it was known (`knownAt`, recorded time); a cell opens the development it rests on.
import { useRef, useState } from 'preact/hooks';
import { useConsole } from '../shell/console-context.js';
import { inTurn } from '../shell/in-turn.js';
import { ProblemMessage } from '../shell/problem-message.js';
import { useLoadedMark, useResource } from '../shell/resource.js';
import { linkTo, setParams } from '../shell/route.js';
import { attribution, type PartyPositions, type Position, positionsGrid, shiftDay, stanceLabel, stances } from './positions-grid.js';

const today = () => new Date().toISOString().slice(0, 10);

/** A UTC datetime-local value (YYYY-MM-DDTHH:mm) as the API's instant. */
const knownAtInstant = (value: string) => (value ? `${value}:00Z` : undefined);

export function PositionsPage({ params }: { params: URLSearchParams }) {
  const { api, parties, issues, partyName, issueTitle } = useConsole();
  const asOf = params.get('asOf') ?? '';
  const knownAt = params.get('knownAt') ?? '';
  const update = (change: { asOf?: string; knownAt?: string }) =>
    setParams('positions', { asOf, knownAt, ...change });

  // The grid says which instants it shows: the ones its data was read at, not the pickers' (a read may still be on its way).
  const read = useResource(
    async () => ({
      asOf, knownAt,
      positions: await inTurn(parties, 6, (party) => api.get<PartyPositions>(`/v1/parties/${encodeURIComponent(party.id)}/positions`,
        { asOf: asOf || undefined, knownAt: knownAtInstant(knownAt) })),
    }),
    [api, parties, asOf, knownAt]);
  useLoadedMark('positions', read.value !== undefined);
  const rows = read.value ? positionsGrid(parties, issues, read.value.positions) : [];
  const [open, setOpen] = useState<{ party: string; position: Position }>();
  const dialog = useRef<HTMLDialogElement>(null);

  function show(party: string, position: Position) {
    setOpen({ party, position });
    dialog.current?.showModal();
  }

  return (
    <>
      <form class="pickers" onSubmit={(event) => event.preventDefault()} aria-describedby="instants">
        <fieldset>
          <legend>As it was</legend>
          <label for="as-of">As of (valid time, UTC day)</label>
          <input id="as-of" type="date" value={asOf} max={today()} onChange={(event) => update({ asOf: event.currentTarget.value })} />
          <button type="button" onClick={() => update({ asOf: shiftDay(asOf || today(), -1) })}>Day before</button>
          <button type="button" onClick={() => update({ asOf: shiftDay(asOf || today(), 1) })} disabled={!asOf || asOf >= today()}>Day after</button>
          <button type="button" class="quiet" onClick={() => update({ asOf: '' })} disabled={!asOf}>Now</button>
        </fieldset>
        <fieldset>
          <legend>As it was known</legend>
          <label for="known-at">Known at (recorded time, UTC)</label>
          <input id="known-at" type="datetime-local" value={knownAt} onChange={(event) => update({ knownAt: event.currentTarget.value })} />
          <button type="button" class="quiet" onClick={() => update({ knownAt: '' })} disabled={!knownAt}>Now</button>
        </fieldset>
      </form>
      <p id="instants" class="hint" aria-live="polite">
        {read.value
          ? <>Stances as of <time>{read.value.asOf || 'now'}</time>, as known at <time>{read.value.knownAt ? `${read.value.knownAt} UTC` : 'now'}</time>{read.loading && ' (redrawing…)'}.</>
          : read.loading ? 'Loading positions…' : ''}
      </p>
      <ProblemMessage error={read.error} />
      {read.value && (
        <div class="scroll" tabIndex={0} aria-label="Positions grid, scrolls sideways">
          <table class="grid" aria-busy={read.loading}>
            <caption>Each party’s stance on each issue; choose a stance to see the development it rests on.</caption>
            <thead>
              <tr>
                <td />
                {issues.map((issue) => <th scope="col" key={issue.id} title={issue.description ?? undefined}>{issue.title}</th>)}
              </tr>
            </thead>
            <tbody>
              {rows.map(({ party, cells }) => (
                <tr key={party.id}>
                  <th scope="row">{party.name}</th>
                  {cells.map((position, index) => (
                    <td key={issues[index]!.id}>
                      {position ? (
                        <button type="button" class={`stance stance-${position.stance}`} onClick={() => show(party.id, position)}>
                          {/* The name a screen reader gives the button outside the table's reading order too. */}
                          <span class="visually-hidden">{party.name} on {issues[index]!.title}: </span>
                          {stanceLabel(position.stance)} <small>since {position.since}</small>
                        </button>
                      ) : <span class="none"><span aria-hidden="true">·</span><span class="visually-hidden">no stance</span></span>}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ul class="legend" aria-label="Stances">
        {stances.map((stance) => <li key={stance}><span class={`swatch stance-${stance}`} aria-hidden="true" />{stanceLabel(stance)}</li>)}
      </ul>
      <dialog ref={dialog} aria-labelledby="based-on-title" onClose={() => setOpen(undefined)}>
        {open && (
          <article>
            <h2 id="based-on-title">{partyName(open.party)} {stanceLabel(open.position.stance)}: {issueTitle(open.position.issue)}</h2>
            <p class="hint">Since {open.position.since}; based on development <code>{open.position.basedOn}</code></p>
            <p>{open.position.summary}</p>
            <h3>Sources</h3>
            <ul class="sources">
              {open.position.sources.map((source, index) => (
                <li key={index}>
                  <strong>{attribution(source)}</strong>
                  {source.publishedAt && <> · published {source.publishedAt}</>}
                  {source.citation && source.outlet && <> · {source.citation}</>}
                  {source.url && <> · <a href={source.url} rel="noreferrer noopener" target="_blank">link</a></>}
                  {source.quote && <blockquote>{source.quote}</blockquote>}
                </li>
              ))}
            </ul>
            <p><a href={linkTo('timeline', { party: open.party, issue: open.position.issue })}>{partyName(open.party)} on this issue, on the timeline</a></p>
            <form method="dialog"><button type="submit" autofocus>Close</button></form>
          </article>
        )}
      </dialog>
    </>
  );
}
