// Timeline: every development newest first, filtered by party, issue, type and days; retracted
// ones struck through; new ones arrive from the live stream without a reload.
import { useEffect, useRef, useState } from 'preact/hooks';
import { chanceryEventTypes } from '../../../../libs/domain/src/shared/event-types.js';
import { type ApiError, type Page } from '../api/client.js';
import { type LiveState, subscribe } from '../api/live-stream.js';
import { Choice } from '../shell/choice.js';
import { useConsole } from '../shell/console-context.js';
import { ProblemMessage } from '../shell/problem-message.js';
import { useLoadedMark } from '../shell/resource.js';
import { setParams } from '../shell/route.js';
import { apiQuery, filterOf, selects, type TimelineFilter } from './timeline-filter.js';

type Development = {
  eventId: string; type: string; streamId: string; version: number; occurredAt: string; recordedAt: string;
  parties: string[]; issue: string | null; summary: string; goldstein: number | null; retracted: boolean;
  cameo: { code: string } | null;
};

const pageSize = 50;

const liveLabels: Record<LiveState, string> = {
  connecting: 'Connecting to live updates…',
  live: 'Live: new developments appear as they are recorded',
  reconnecting: 'Live updates interrupted; reconnecting…',
  refused: 'Live updates refused for this key',
};

/** "PositionStated" → "Position stated". */
const typeLabel = (type: string) => type.replace(/(?<=[a-z])(?=[A-Z])/g, ' ').replace(/ (\w)/g, (_, letter: string) => ` ${letter.toLowerCase()}`);

export function TimelinePage({ params }: { params: URLSearchParams }) {
  const { api, parties, issues, partyName, issueTitle } = useConsole();
  const filter = filterOf(params);
  const filterKey = JSON.stringify(filter);
  const [page, setPage] = useState<Page<Development>>();
  const [error, setError] = useState<ApiError>();
  const [live, setLive] = useState<LiveState>('connecting');
  const [arrived, setArrived] = useState<{ ids: Set<string>; note: string }>({ ids: new Set(), note: '' });
  const shown = useRef<Page<Development>>(undefined);
  shown.current = page;
  useLoadedMark('timeline', page !== undefined);

  // Re-reads as many developments as are on screen, so a live change (a new one, a retraction) lands in place.
  const reload = useRef<() => Promise<void>>(async () => {});
  reload.current = async () => {
    const limit = Math.min(500, Math.max(pageSize, shown.current?.items.length ?? 0));
    try {
      const next = await api.get<Page<Development>>('/v1/timeline', { ...apiQuery(filter), limit });
      const before = shown.current ? new Set(shown.current.items.map((development) => development.eventId)) : undefined;
      if (before) {
        const fresh = next.items.filter((development) => !before.has(development.eventId));
        if (fresh.length > 0) {
          setArrived({ ids: new Set(fresh.map((development) => development.eventId)),
            note: fresh.length === 1 ? `New development: ${fresh[0]!.summary}` : `${fresh.length} new developments` });
        }
      }
      setPage(next);
      setError(undefined);
    } catch (refusal) {
      setError(refusal as ApiError);
    }
  };

  useEffect(() => {
    setPage(undefined);
    shown.current = undefined;
    void reload.current();
    let pending: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(pending);
      pending = setTimeout(() => void reload.current(), 150);
    };
    const stop = subscribe(api.authorization, `?types=development${filter.party ? `&party=${encodeURIComponent(filter.party)}` : ''}`,
      (message) => {
        if (message.event === 'development' && selects(filter, message.data)) soon();
      },
      (state) => {
        setLive(state);
        // The stream does not resume: whatever was recorded while it was away is read again.
        if (state === 'live' && shown.current) soon();
      });
    return () => {
      stop();
      clearTimeout(pending);
    };
  }, [api, filterKey]);

  async function more() {
    if (!page?.nextCursor) return;
    try {
      const next = await api.get<Page<Development>>('/v1/timeline', { ...apiQuery(filter), cursor: page.nextCursor, limit: pageSize });
      setPage({ items: [...page.items, ...next.items], nextCursor: next.nextCursor });
    } catch (refusal) {
      setError(refusal as ApiError);
    }
  }

  const choose = (name: keyof TimelineFilter) => (value: string) => setParams('timeline', { ...filter, [name]: value || undefined });
  const change = (name: keyof TimelineFilter) => (event: Event) => choose(name)((event.currentTarget as HTMLInputElement).value);

  return (
    <>
      <form class="filters" onSubmit={(event) => event.preventDefault()} aria-label="Filter the timeline">
        <Choice id="filter-party" label="Party" any value={filter.party ?? ''} onChoose={choose('party')}
          options={parties.map((party) => ({ value: party.id, label: party.name }))} />
        <Choice id="filter-issue" label="Issue" any value={filter.issue ?? ''} onChoose={choose('issue')}
          options={issues.map((issue) => ({ value: issue.id, label: issue.title }))} />
        <Choice id="filter-type" label="Type" any value={filter.type ?? ''} onChoose={choose('type')}
          options={chanceryEventTypes.map((type) => ({ value: type, label: typeLabel(type) }))} />
        <span>
          <label for="filter-from">From (UTC day)</label>
          <input id="filter-from" type="date" value={filter.from ?? ''} onChange={change('from')} />
        </span>
        <span>
          <label for="filter-to">To (UTC day)</label>
          <input id="filter-to" type="date" value={filter.to ?? ''} onChange={change('to')} />
        </span>
      </form>
      <p class={`live live-${live}`} role="status">{liveLabels[live]}</p>
      <p class="visually-hidden" aria-live="polite">{arrived.note}</p>
      <ProblemMessage error={error} />
      {page && page.items.length === 0 && <p>No development matches these filters.</p>}
      {page && page.items.length > 0 && (
        <ol class="timeline" aria-label="Developments, newest first">
          {page.items.map((development) => (
            <li key={development.eventId} class={arrived.ids.has(development.eventId) ? 'new' : undefined}>
              <time dateTime={development.occurredAt}>{development.occurredAt.slice(0, 10)}</time>
              <span class="type">{typeLabel(development.type)}</span>
              <p class="summary">
                {development.retracted
                  ? <><del>{development.summary}</del> <span class="badge">retracted</span></>
                  : development.summary}
              </p>
              <p class="hint">
                {development.parties.map(partyName).join(', ')}
                {development.issue && <> · {issueTitle(development.issue)}</>}
                {development.goldstein !== null && <> · Goldstein {development.goldstein > 0 ? '+' : ''}{development.goldstein}</>}
                {development.cameo && <> · CAMEO {development.cameo.code}</>}
              </p>
            </li>
          ))}
        </ol>
      )}
      {page?.nextCursor && <button type="button" onClick={more}>Older developments</button>}
    </>
  );
}
