/* eslint-disable @typescript-eslint/no-explicit-any -- tests read JSON bodies of any shape; each assertion says what it expects */
// A small HTTP client for e2e tests: JSON in, status + JSON out, with an API key.
export type HttpResult<Body = any> = { status: number; body: Body; headers: Headers };

export function client(baseUrl: string, key?: string) {
  async function call<Body = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<Body>> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as Body, headers: response.headers };
  }
  return {
    get: <Body = any>(path: string, headers?: Record<string, string>) => call<Body>('GET', path, undefined, headers),
    post: <Body = any>(path: string, body?: unknown, headers?: Record<string, string>) => call<Body>('POST', path, body, headers),
    put: <Body = any>(path: string, body?: unknown, headers?: Record<string, string>) => call<Body>('PUT', path, body, headers),
    delete: <Body = any>(path: string, headers?: Record<string, string>) => call<Body>('DELETE', path, undefined, headers),
  };
}

export type Client = ReturnType<typeof client>;
