// Every call the console makes: same origin, the pasted API key as a bearer token, and a
// problem+json answer turned into an error a page can show as it is.
export type Problem = { status: number; title: string; detail?: string; errors?: Array<{ path: string; message: string }> };

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }

  get status(): number {
    return this.problem.status;
  }
}

export type Page<Item> = { items: Item[]; nextCursor: string | null };

export type QueryParams = Record<string, string | number | undefined | null>;

/** `?a=1&b=2` of the parameters that are set; empty when none is. */
export function queryString(params: QueryParams = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function problemOf(response: Response): Promise<Problem> {
  try {
    const body = (await response.json()) as Partial<Problem>;
    return { status: response.status, title: body.title ?? response.statusText, detail: body.detail, errors: body.errors };
  } catch {
    return { status: response.status, title: response.statusText || `HTTP ${response.status}` };
  }
}

export type Api = ReturnType<typeof createApi>;

/** `onUnauthorized` hears a 401: the key was revoked or mistyped, and the user must paste another. */
export function createApi(key: string, onUnauthorized: () => void = () => {}) {
  const authorization = `Bearer ${key}`;

  async function call<Body>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Body> {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: { authorization, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError({ status: 0, title: 'The API did not answer', detail: 'The server could not be reached; try again in a moment.' });
    }
    if (response.status === 401) onUnauthorized();
    if (!response.ok) throw new ApiError(await problemOf(response));
    return (response.status === 204 ? undefined : await response.json()) as Body;
  }

  return {
    authorization,
    get: <Body>(path: string, params?: QueryParams) => call<Body>('GET', `${path}${queryString(params)}`),
    post: <Body>(path: string, body?: unknown) => call<Body>('POST', path, body),
    /** Every item of a list, page after page (at most `maxPages` of 500). */
    async all<Item>(path: string, params: QueryParams = {}, maxPages = 20): Promise<Item[]> {
      const items: Item[] = [];
      let cursor: string | null | undefined;
      for (let page = 0; page < maxPages; page++) {
        const result = await call<Page<Item>>('GET', `${path}${queryString({ ...params, limit: 500, cursor })}`);
        items.push(...result.items);
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      return items;
    },
  };
}
