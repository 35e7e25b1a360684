// The one place the user pastes an API key: tried against the API before it is kept.
import { useState } from 'preact/hooks';
import { type ApiError, createApi } from '../api/client.js';
import { ProblemMessage } from './problem-message.js';

export function KeyForm({ notice, onKey }: { notice?: string; onKey: (key: string) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<ApiError>();
  const [checking, setChecking] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const pasted = key.trim();
    if (!pasted) return;
    setChecking(true);
    setError(undefined);
    try {
      await createApi(pasted).get('/v1/parties', { limit: 1 });
      onKey(pasted);
    } catch (refusal) {
      setError(refusal as ApiError);
    } finally {
      setChecking(false);
    }
  }

  return (
    <main class="key-form" id="main">
      <h1>Chancery console</h1>
      <p>Paste an API key. It is kept in this tab only (session storage) and sent with every request; the Operations page needs an admin key.</p>
      {notice && <p class="notice" role="status">{notice}</p>}
      <form onSubmit={submit}>
        <label for="api-key">API key</label>
        <input id="api-key" type="password" autocomplete="off" spellcheck={false} required value={key}
          onInput={(event) => setKey(event.currentTarget.value)} />
        <button type="submit" disabled={checking}>{checking ? 'Checking…' : 'Use this key'}</button>
      </form>
      <ProblemMessage error={error} />
    </main>
  );
}
