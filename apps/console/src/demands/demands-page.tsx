// Demands: the ones unanswered longest, then every demand with who answered what and when.
import { Choice } from '../shell/choice.js';
import { useConsole } from '../shell/console-context.js';
import { ProblemMessage } from '../shell/problem-message.js';
import { useLoadedMark, useResource } from '../shell/resource.js';
import { setParams } from '../shell/route.js';
import { type Demand, demandStatuses, unansweredLongest } from './demand-waits.js';

export function DemandsPage({ params }: { params: URLSearchParams }) {
  const { api, partyName, issueTitle } = useConsole();
  const status = params.get('status') ?? '';
  const demands = useResource(() => api.all<Demand>('/v1/demands'), [api]);
  useLoadedMark('demands', demands.value !== undefined);
  const waits = demands.value ? unansweredLongest(demands.value, new Date()) : [];
  const shown = (demands.value ?? []).filter((demand) => !status || demand.status === status);
  const names = (ids: string[]) => ids.map(partyName).join(', ');

  return (
    <>
      <ProblemMessage error={demands.error} />
      <section aria-labelledby="waiting">
        <h2 id="waiting">Unanswered longest</h2>
        {demands.value && waits.length === 0 && <p>No open demand is waiting for an answer.</p>}
        {waits.length > 0 && (
          <table class="list">
            <thead><tr><th scope="col">Waiting</th><th scope="col">Demand</th><th scope="col">By</th><th scope="col">Still to answer</th><th scope="col">Issued</th></tr></thead>
            <tbody>
              {waits.map(({ demand, waitingOn, days }) => (
                <tr key={demand.id}>
                  <td class="number">{days.toLocaleString('en')} days</td>
                  <th scope="row">{demand.summary}<small>{issueTitle(demand.issue)}</small></th>
                  <td>{partyName(demand.by)}</td>
                  <td>{names(waitingOn)}</td>
                  <td><time>{demand.issuedAt}</time></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="all-demands">
        <h2 id="all-demands">All demands</h2>
        <form class="filters" onSubmit={(event) => event.preventDefault()}>
          <Choice id="demand-status" label="Status" any value={status} onChoose={(chosen) => setParams('demands', { status: chosen })}
            options={demandStatuses.map((candidate) => ({ value: candidate, label: candidate }))} />
        </form>
        {demands.value && (
          <table class="list">
            <thead><tr><th scope="col">Demand</th><th scope="col">By</th><th scope="col">Addressed to</th><th scope="col">Status</th><th scope="col">Issued</th><th scope="col">Answers</th></tr></thead>
            <tbody>
              {shown.map((demand) => (
                <tr key={demand.id}>
                  <th scope="row">{demand.summary}<small>{issueTitle(demand.issue)}</small></th>
                  <td>{partyName(demand.by)}</td>
                  <td>{names(demand.addressedTo)}</td>
                  <td><span class={`status status-${demand.status}`}>{demand.status}</span></td>
                  <td><time>{demand.issuedAt}</time></td>
                  <td>
                    {demand.responses.length === 0 ? <span class="hint">none yet</span> : (
                      <ul class="answers">
                        {demand.responses.map((response) => (
                          <li key={`${response.party}-${response.at}`}>{partyName(response.party)} {response.response} on <time>{response.at}</time></li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
              {shown.length === 0 && <tr><td colSpan={6}>No demand has that status.</td></tr>}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
