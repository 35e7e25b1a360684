// A page's data: loaded when its inputs change, the stale answer of an earlier input dropped.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client.js';

export type Resource<Value> = { value?: Value; error?: ApiError; loading: boolean; reload: () => void };

export function useResource<Value>(load: () => Promise<Value>, inputs: unknown[]): Resource<Value> {
  const [state, setState] = useState<{ value?: Value; error?: ApiError; loading: boolean }>({ loading: true });
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (value) => mine === generation.current && setState({ value, loading: false }),
      (error: unknown) => mine === generation.current && setState((previous) => ({
        value: previous.value,
        loading: false,
        error: error instanceof ApiError ? error : new ApiError({ status: 0, title: 'Something went wrong', detail: String(error) }),
      })),
    );
  }, inputs);
  useEffect(run, [run]);
  return { ...state, reload: run };
}

/**
 * Marks, once per visit of a page, when its data is first on screen (`chancery:<page>:loaded`),
 * so load time is measured where the user sees it: in the browser, from the navigation's start.
 */
export function useLoadedMark(page: string, ready: boolean): void {
  const marked = useRef(false);
  useEffect(() => {
    if (!ready || marked.current) return;
    marked.current = true;
    requestAnimationFrame(() => performance.mark(`chancery:${page}:loaded`));
  }, [page, ready]);
}
