// The CLI talks to a running Chancery over its HTTP API, like any other client.
export type ApiClient = {
  get: <Body>(path: string, headers?: Record<string, string>) => Promise<Body>;
  post: <Body>(path: string, body: string | object, headers?: Record<string, string>) => Promise<Body>;
};

export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: unknown) {
    super(`HTTP ${status}: ${JSON.stringify(problem)}`);
  }
}

export function apiClient(baseUrl: string, key: string): ApiClient {
  async function call<Body>(method: string, path: string, body?: string | object, headers: Record<string, string> = {}): Promise<Body> {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(typeof body === 'object' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: typeof body === 'object' ? JSON.stringify(body) : body,
    });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) throw new ApiError(response.status, parsed);
    return parsed as Body;
  }
  return {
    get: (path, headers) => call('GET', path, undefined, headers),
    post: (path, body, headers) => call('POST', path, body, headers),
  };
}
