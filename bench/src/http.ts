// A small HTTP client for the API: bearer key, JSON in and out, the time each call took. It uses
// node:http with kept-alive connections rather than fetch: the load generator shares the machine's
// cores with what it measures, and fetch cost about twice the CPU per request.
import http from 'node:http';

export type Answer = { status: number; body: unknown; ms: number };

export class Api {
  private readonly agent = new http.Agent({ keepAlive: true });

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
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    let status: number;
    let text: string;
    try {
      ({ status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const request = http.request(`${this.baseUrl}${path}`, { method, headers, agent: this.agent }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
          response.on('error', reject);
        });
        request.on('error', reject);
        request.end(body);
      }));
    } catch (error) {
      // A connection the server closed under the request: counted as an error of the run, status 0.
      const { code } = error as { code?: string };
      return { status: 0, body: `${(error as Error).message} ${code ?? ''}`.trim(), ms: performance.now() - started };
    }
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text for the error message
    }
    return { status, body: parsed, ms: performance.now() - started };
  }
}
