// Relations: for a pair of parties, each day's Goldstein sum and the 7- and 30-day tension.
import { Choice } from '../shell/choice.js';
import { useConsole } from '../shell/console-context.js';
import { ProblemMessage } from '../shell/problem-message.js';
import { useLoadedMark, useResource } from '../shell/resource.js';
import { setParams } from '../shell/route.js';
import { RelationChart } from './relation-chart.js';
import { type Relation, tensionSeries, tensionWords } from './tension-series.js';

const signed = (value: number | null) => (value === null ? '—' : `${value > 0 ? '+' : ''}${value}`);

export function RelationsPage({ params }: { params: URLSearchParams }) {
  const { api, parties, partyName } = useConsole();
  const actors = parties.filter((party) => party.kind !== 'person');
  const a = params.get('a') ?? actors[0]?.id ?? '';
  const b = params.get('b') ?? actors.find((party) => party.id !== a)?.id ?? '';
  const relation = useResource(
    () => (a && b && a !== b ? api.get<Relation>(`/v1/relations/${encodeURIComponent(a)}/${encodeURIComponent(b)}`) : Promise.resolve(undefined)),
    [api, a, b]);
  useLoadedMark('relations', relation.value !== undefined);
  const pair = `${partyName(a)} – ${partyName(b)}`;
  const choices = parties.map((party) => ({ value: party.id, label: party.name }));
  const days = relation.value?.days ?? [];
  const seven = tensionSeries(days, 7);
  const thirty = tensionSeries(days, 30);

  return (
    <>
      <form class="filters" onSubmit={(event) => event.preventDefault()} aria-label="Choose the pair">
        <Choice id="party-a" label="First party" value={a} options={choices} onChoose={(chosen) => setParams('relations', { a: chosen, b })} />
        <Choice id="party-b" label="Second party" value={b} options={choices} onChoose={(chosen) => setParams('relations', { a, b: chosen })} />
      </form>
      {a === b && <p role="alert">Choose two different parties.</p>}
      <ProblemMessage error={relation.error} />
      {relation.value && (
        <>
          <dl class="figures">
            <div><dt>7-day tension</dt><dd>{signed(relation.value.tension7d)} <small>{tensionWords(relation.value.tension7d)}</small></dd></div>
            <div><dt>30-day tension</dt><dd>{signed(relation.value.tension30d)} <small>{tensionWords(relation.value.tension30d)}</small></dd></div>
            <div><dt>Days with developments</dt><dd>{days.length}</dd></div>
          </dl>
          <p class="hint">Tension is the mean Goldstein score of the window’s developments, sign turned: from −10 (cooperative) to +10 (conflictual).</p>
          {days.length === 0 ? <p>No scored development between {pair} yet.</p> : (
            <figure>
              <RelationChart days={days}
                label={`${pair}: Goldstein sum per day over ${days.length} days, and the tension index; the table below has the same figures.`} />
              <figcaption>{pair}: daily Goldstein sum (bars), 7-day tension (red line), 30-day tension (blue, dashed).</figcaption>
            </figure>
          )}
          {days.length > 0 && (
            <table class="list numbers">
              <caption>{pair}, day by day</caption>
              <thead><tr><th scope="col">Day</th><th scope="col">Developments</th><th scope="col">Cooperation</th><th scope="col">Conflict</th><th scope="col">Goldstein sum</th><th scope="col">7-day tension</th><th scope="col">30-day tension</th></tr></thead>
              <tbody>
                {days.map((day, index) => (
                  <tr key={day.date}>
                    <th scope="row"><time>{day.date}</time></th>
                    <td>{day.events}</td><td>{day.cooperation}</td><td>{day.conflict}</td>
                    <td>{signed(day.goldsteinSum)}</td><td>{signed(seven[index]!)}</td><td>{signed(thirty[index]!)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}
