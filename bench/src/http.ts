// A small HTTP client for the API: bearer key, JSON in and out, the time each call took.
export type Answer = { status: number; body: unknown; ms: number };

export class Api {
  constructor(readonly baseUrl: string, private readonly key: string) {}

  async call(method: 'GET' | 'POST', path: string, options: { json?: unknown; ndjson?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
    const started = performance.now();
    const headers: Record<string, string> = { authorization: `Bearer ${this.key}`, ...options.headers };
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.ndjson !== undefined) {
      headers['content-type'] = 'application/x-ndjson';
      body = options.ndjson;
    }
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
      text = await response.text();
    } catch (error) {
      // A connection the server closed under the request: counted as an error of the run, status 0.
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return { status: 0, body: `${(error as Error).message}: ${cause?.code ?? ''} ${cause?.message ?? ''}`.trim(), ms: performance.now() - started };
    }
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text for the error message
    }
    return { status: response.status, body: parsed, ms: performance.now() - started };
  }
}
