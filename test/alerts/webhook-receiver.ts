// A real webhook endpoint for tests: a node:http server on 127.0.0.1 that answers each delivery as
// the test scripts it, and keeps what it received (raw body and headers) to check signatures against.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { headers: http.IncomingHttpHeaders; body: string; at: number };

/** What to answer the nth request (0-based): a status code (when the promise settles, if one), or `hang` to never answer. */
export type Script = (index: number) => number | 'hang' | Promise<number>;

export type WebhookReceiver = {
  url: string;
  received: Received[];
  /** Resolves once `count` requests have arrived. */
  requests: (count: number) => Promise<Received[]>;
  close: () => Promise<void>;
};

export async function startWebhookReceiver(script: Script): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const waiters: Array<{ count: number; resolve: (received: Received[]) => void }> = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = received.length;
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      for (const waiter of waiters.filter((candidate) => received.length >= candidate.count)) waiter.resolve(received.slice());
      const answer = script(index);
      if (answer === 'hang') return;
      void Promise.resolve(answer).then((status) =>
        response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : `failure ${index + 1}`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/chancery`,
    received,
    requests: (count) => received.length >= count
      ? Promise.resolve(received.slice())
      : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Checks `X-Chancery-Signature: sha256=<hex>` against the raw body, as a receiver should. */
export function signatureVerifies(received: Received, secret: string): boolean {
  const header = String(received.headers['x-chancery-signature'] ?? '');
  const expected = `sha256=${createHmac('sha256', secret).update(received.body, 'utf8').digest('hex')}`;
  return header.length === expected.length && timingSafeEqual(Buffer.from(header), Buffer.from(expected));
}
