// Operations (admin key): each projection generation with its lag and a rebuild's progress, a
// button that starts a rebuild, the dead-letter list, and the alerts with their webhook deliveries.
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, type Page } from '../api/client.js';
import { type LiveState, subscribe } from '../api/live-stream.js';
import { useConsole } from '../shell/console-context.js';
import { ProblemMessage } from '../shell/problem-message.js';
import { useLoadedMark, useResource } from '../shell/resource.js';
import { ageWords, type Overview, rebuildable, statusChanges } from './rebuild-log.js';

type Failure = {
  id: string; projection: string; version: number; eventId: string | null; streamId: string | null; streamVersion: number | null;
  partition: number; offset: string; error: string; failedAt: string;
};

type Alert = {
  id: string; ruleName: string; severity: string; triggeredAt: string; occurredAt: string; parties: string[]; summary: string;
  delivery: { status: string; attempts: number; responseCode: number | null; lastError: string | null; nextAttemptAt: string | null; deliveredAt: string | null } | null;
};

type Delivery = { url: string; status: string; attempts: number; log: Array<{ attempt: number; at: string; durationMs: number; responseCode: number | null; error: string | null }> };

const clock = () => new Date().toISOString().slice(11, 19);

export function OperationsPage() {
  const { api } = useConsole();
  const [overviews, setOverviews] = useState<Overview[]>();
  const [error, setError] = useState<ApiError>();
  const [log, setLog] = useState<Array<{ at: string; line: string }>>([]);
  const [live, setLive] = useState<LiveState>('connecting');
  const latest = useRef<Overview[]>(undefined);
  const note = (...lines: string[]) => lines.length > 0 && setLog((earlier) => [...lines.map((line) => ({ at: clock(), line })), ...earlier].slice(0, 50));
  useLoadedMark('operations', overviews !== undefined);

  const refresh = useRef<() => Promise<void>>(async () => {});
  refresh.current = async () => {
    try {
      const next = await api.get<Overview[]>('/v1/projections');
      if (latest.current) note(...statusChanges(latest.current, next));
      latest.current = next;
      setOverviews(next);
      setError(undefined);
    } catch (refusal) {
      setError(refusal as ApiError);
    }
  };

  useEffect(() => {
    void refresh.current();
    const timer = setInterval(() => void refresh.current(), 2_000);
    let pending: ReturnType<typeof setTimeout> | undefined;
    const stop = subscribe(api.authorization, '?types=projection', (message) => {
      if (message.event !== 'projection') return;
      // A rebuild reports at most once a second; live generations report every batch, which the poll covers.
      if (!message.data.live) {
        note(`${message.data.projection} generation ${message.data.version}: applied ${message.data.applied.toLocaleString('en')} events of partition ${message.data.partition}`);
        clearTimeout(pending);
        pending = setTimeout(() => void refresh.current(), 200);
      }
    }, setLive);
    return () => {
      clearInterval(timer);
      clearTimeout(pending);
      stop();
    };
  }, [api]);

  async function rebuild(name: string) {
    try {
      const started = await api.post<{ name: string; version: number; status: string }>(`/v1/projections/${encodeURIComponent(name)}/rebuild`);
      note(`${name}: rebuild requested, generation ${started.version}`);
      await refresh.current();
    } catch (refusal) {
      setError(refusal as ApiError);
    }
  }

  return (
    <>
      <ProblemMessage error={error} />
      <section aria-labelledby="projections">
        <h2 id="projections">Projections</h2>
        <p class={`live live-${live}`} role="status">{live === 'live' ? 'Hearing rebuild progress live' : live === 'refused' ? 'Live progress refused for this key' : 'Connecting to live progress…'}</p>
        {overviews && (
          <div class="scroll" tabIndex={0} aria-label="Projections table, scrolls sideways">
            <table class="list numbers">
              <thead>
                <tr><th scope="col">Projection</th><th scope="col">Generation</th><th scope="col">Status</th><th scope="col">Lag (events)</th><th scope="col">Lag (age)</th>
                  <th scope="col">Events applied</th><th scope="col">Set aside</th><th scope="col">Last event</th><th scope="col">Rebuild progress</th></tr>
              </thead>
              <tbody>
                {overviews.map((overview) => (
                  <tr key={`${overview.name}-${overview.version}`}>
                    <th scope="row">{overview.name}</th>
                    <td>{overview.version}{overview.live && overview.status !== 'live' && <span class="badge">serving</span>}</td>
                    <td><span class={`status status-${overview.status}`}>{overview.status}</span></td>
                    <td>{overview.lag.events.toLocaleString('en')}</td>
                    <td>{ageWords(overview.lag.seconds)}</td>
                    <td>{overview.eventsApplied.toLocaleString('en')}</td>
                    <td>{overview.failures}</td>
                    <td>{overview.lastEventAt ? <time>{overview.lastEventAt.slice(0, 19).replace('T', ' ')}</time> : '—'}</td>
                    <td>
                      {overview.progress ? (
                        <>
                          <progress max={overview.progress.total} value={overview.progress.done}
                            aria-label={`${overview.name} generation ${overview.version} rebuild progress`} />
                          <small>{overview.progress.done.toLocaleString('en')} of {overview.progress.total.toLocaleString('en')}
                            {' '}· {overview.progress.eventsPerSecond.toLocaleString('en')}/s
                            {overview.progress.etaSeconds !== null && <> · {overview.progress.etaSeconds} s left</>}</small>
                        </>
                      ) : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {overviews && (
          <div class="actions" role="group" aria-label="Rebuild a projection">
            {rebuildable(overviews).map(({ name, running }) => (
              <button type="button" key={name} disabled={running} onClick={() => void rebuild(name)}>
                {running ? `Rebuilding ${name}…` : `Rebuild ${name}`}
              </button>
            ))}
          </div>
        )}
        <h3 id="rebuild-log">Rebuild log</h3>
        {log.length === 0 ? <p class="hint">Nothing yet: a rebuild’s request, progress and swap appear here.</p> : (
          <ol class="log" aria-labelledby="rebuild-log" aria-live="polite">
            {log.map((entry, index) => <li key={`${log.length - index}`}><time>{entry.at}</time> {entry.line}</li>)}
          </ol>
        )}
      </section>
      <DeadLetters />
      <Alerts />
    </>
  );
}

function DeadLetters() {
  const { api } = useConsole();
  const failures = useResource(() => api.get<Page<Failure>>('/v1/projection-failures', { limit: 50 }), [api]);
  return (
    <section aria-labelledby="dead-letters">
      <h2 id="dead-letters">Dead letters</h2>
      <p class="hint">Events a projection could not apply and set aside (also copied to the DLQ topic), newest first. <button type="button" class="quiet" onClick={failures.reload}>Refresh</button></p>
      <ProblemMessage error={failures.error} />
      {failures.value && failures.value.items.length === 0 && <p>No event has been set aside.</p>}
      {failures.value && failures.value.items.length > 0 && (
        <table class="list">
          <thead><tr><th scope="col">When</th><th scope="col">Projection</th><th scope="col">Event</th><th scope="col">Where</th><th scope="col">Error</th></tr></thead>
          <tbody>
            {failures.value.items.map((failure) => (
              <tr key={failure.id}>
                <td><time>{failure.failedAt.slice(0, 19).replace('T', ' ')}</time></td>
                <td>{failure.projection} <small>generation {failure.version}</small></td>
                <td>{failure.eventId ? <><code>{failure.eventId}</code><small>{failure.streamId} v{failure.streamVersion}</small></> : <span class="hint">unreadable record</span>}</td>
                <td>partition {failure.partition}, offset {failure.offset}</td>
                <td class="error">{failure.error}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Alerts() {
  const { api, partyName } = useConsole();
  const alerts = useResource(() => api.get<Page<Alert>>('/v1/alerts', { limit: 50 }), [api]);
  const [open, setOpen] = useState<{ id: string; deliveries?: Delivery[]; error?: ApiError }>();

  async function attempts(id: string) {
    if (open?.id === id) return setOpen(undefined);
    setOpen({ id });
    try {
      setOpen({ id, deliveries: (await api.get<{ items: Delivery[] }>(`/v1/alerts/${encodeURIComponent(id)}/deliveries`)).items });
    } catch (refusal) {
      setOpen({ id, error: refusal as ApiError });
    }
  }

  return (
    <section aria-labelledby="alerts">
      <h2 id="alerts">Alerts and webhook deliveries</h2>
      <p class="hint">Newest first. <button type="button" class="quiet" onClick={alerts.reload}>Refresh</button></p>
      <ProblemMessage error={alerts.error} />
      {alerts.value && alerts.value.items.length === 0 && <p>No alert has been raised.</p>}
      {alerts.value && alerts.value.items.length > 0 && (
        <table class="list">
          <thead><tr><th scope="col">Raised</th><th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Alert</th><th scope="col">Webhook</th></tr></thead>
          <tbody>
            {alerts.value.items.map((alert) => (
              <Fragment key={alert.id}>
                <tr>
                  <td><time>{alert.triggeredAt.slice(0, 19).replace('T', ' ')}</time></td>
                  <td><span class={`severity severity-${alert.severity}`}>{alert.severity}</span></td>
                  <td>{alert.ruleName}</td>
                  <td>{alert.summary}<small>{alert.parties.map(partyName).join(', ')} · {alert.occurredAt}</small></td>
                  <td>
                    {alert.delivery === null ? <span class="hint">no webhook</span> : (
                      <button type="button" class="quiet" aria-expanded={open?.id === alert.id} onClick={() => void attempts(alert.id)}>
                        {alert.delivery.status}, {alert.delivery.attempts} attempt{alert.delivery.attempts === 1 ? '' : 's'}
                      </button>
                    )}
                  </td>
                </tr>
                {open?.id === alert.id && (
                  <tr class="detail">
                    <td colSpan={5}>
                      <ProblemMessage error={open.error} />
                      {open.deliveries?.map((delivery) => (
                        <div key={delivery.url}>
                          <p>To <code>{delivery.url}</code>: {delivery.status} after {delivery.attempts} attempt(s)</p>
                          <ol>
                            {delivery.log.map((attempt) => (
                              <li key={attempt.attempt}>
                                <time>{attempt.at}</time> · {attempt.responseCode ?? 'no answer'} · {attempt.durationMs} ms{attempt.error && <> · {attempt.error}</>}
                              </li>
                            ))}
                          </ol>
                        </div>
                      ))}
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
