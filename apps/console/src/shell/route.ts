// Pages live in the URL's fragment (#/timeline?party=NATO): the server serves one page, and a link
// or a reload keeps the page and its filters.
import { useEffect, useState } from 'preact/hooks';

export const pages = [
  { id: 'positions', title: 'Positions' },
  { id: 'demands', title: 'Demands' },
  { id: 'timeline', title: 'Timeline' },
  { id: 'relations', title: 'Relations' },
  { id: 'operations', title: 'Operations' },
] as const;

export type PageId = (typeof pages)[number]['id'];

export type Route = { page: PageId; params: URLSearchParams };

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  const page = pages.find((candidate) => candidate.id === path)?.id ?? 'positions';
  return { page, params: new URLSearchParams(search) };
}

export function linkTo(page: PageId, params: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => !!entry[1])).toString();
  return `#/${page}${search ? `?${search}` : ''}`;
}

/** Replaces the current page's parameters (a filter changed) without a new history entry per keystroke. */
export function setParams(page: PageId, params: Record<string, string | undefined>): void {
  history.replaceState(null, '', linkTo(page, params));
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}
