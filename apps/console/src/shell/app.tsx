// The console's frame: the key, the parties and issues every page names, the navigation, and the
// page the URL's fragment asks for.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createApi } from '../api/client.js';
import { sessionKey } from '../api/session-key.js';
import { DemandsPage } from '../demands/demands-page.js';
import { OperationsPage } from '../operations/operations-page.js';
import { PositionsPage } from '../positions/positions-page.js';
import { RelationsPage } from '../relations/relations-page.js';
import { TimelinePage } from '../timeline/timeline-page.js';
import { ConsoleContext, type Issue, type Party } from './console-context.js';
import { KeyForm } from './key-form.js';
import { ProblemMessage } from './problem-message.js';
import { useResource } from './resource.js';
import { linkTo, pages, type Route, useRoute } from './route.js';

export function App() {
  const [key, setKey] = useState(sessionKey.get);
  const [notice, setNotice] = useState<string>();
  if (!key) {
    return <KeyForm notice={notice} onKey={(pasted) => {
      sessionKey.set(pasted);
      setNotice(undefined);
      setKey(pasted);
    }} />;
  }
  const forget = (why?: string) => {
    sessionKey.clear();
    setNotice(why);
    setKey(null);
  };
  return <SignedIn key={key} apiKey={key} forget={forget} />;
}

function SignedIn({ apiKey, forget }: { apiKey: string; forget: (why?: string) => void }) {
  const route = useRoute();
  const api = useMemo(() => createApi(apiKey, () => forget('The API no longer accepts that key; paste another.')), [apiKey]);
  const names = useResource(() => Promise.all([api.all<Party>('/v1/parties'), api.all<Issue>('/v1/issues')]), [api]);
  const context = useMemo(() => {
    if (!names.value) return null;
    const [parties, issues] = names.value;
    const partyNames = new Map(parties.map((party) => [party.id, party.name]));
    const issueTitles = new Map(issues.map((issue) => [issue.id, issue.title]));
    return {
      api, parties, issues,
      partyName: (id: string) => partyNames.get(id) ?? id,
      issueTitle: (id: string | null) => (id === null ? '—' : issueTitles.get(id) ?? id),
    };
  }, [api, names.value]);

  const current = pages.find((page) => page.id === route.page)!;
  useEffect(() => {
    document.title = `${current.title} — Chancery console`;
  }, [current]);

  return (
    <>
      <a class="skip" href="#main" onClick={(event) => {
        event.preventDefault();
        document.getElementById('main')?.focus();
      }}>Skip to the page</a>
      <header class="masthead">
        <span class="brand">Chancery</span>
        <nav aria-label="Pages">
          <ul>
            {pages.map((page) => (
              <li key={page.id}>
                <a href={linkTo(page.id)} aria-current={page.id === route.page ? 'page' : undefined}>{page.title}</a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" class="quiet" onClick={() => forget('The key is forgotten.')}>Forget key</button>
      </header>
      <Main route={route} title={current.title}>
        <ProblemMessage error={names.error} />
        {context && (
          <ConsoleContext.Provider value={context}>
            <Page route={route} />
          </ConsoleContext.Provider>
        )}
      </Main>
    </>
  );
}

/** The page's landmark; a change of page moves focus to its heading, as a new document would. */
function Main({ route, title, children }: { route: Route; title: string; children: preact.ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    heading.current?.focus();
  }, [route.page]);
  return (
    <main id="main" tabIndex={-1}>
      <h1 ref={heading} tabIndex={-1}>{title}</h1>
      {children}
    </main>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'positions': return <PositionsPage params={route.params} />;
    case 'demands': return <DemandsPage params={route.params} />;
    case 'timeline': return <TimelinePage params={route.params} />;
    case 'relations': return <RelationsPage params={route.params} />;
    case 'operations': return <OperationsPage />;
  }
}
