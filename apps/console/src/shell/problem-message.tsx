import type { ApiError } from '../api/client.js';

/** An API refusal as the API worded it, announced to screen readers. */
export function ProblemMessage({ error }: { error: ApiError | undefined }) {
  if (!error) return null;
  return (
    <div class="problem" role="alert">
      <strong>{error.problem.title}</strong>
      {error.problem.detail && <span> — {error.problem.detail}</span>}
      {error.problem.errors && error.problem.errors.length > 0 && (
        <ul>{error.problem.errors.map((problem) => <li key={problem.path}><code>{problem.path}</code>: {problem.message}</li>)}</ul>
      )}
    </div>
  );
}
