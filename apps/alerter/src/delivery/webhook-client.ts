// One webhook POST: the alert's JSON, signed, with a deadline, to an address the policy allows.
// Host names are checked as they resolve, at connect time, so a name that later points at a
// metadata or loopback address is refused then too (DNS rebinding).
import { createHmac } from 'node:crypto';
import dns from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { refusedAddress, type WebhookPolicy, webhookUrlProblem } from '#read-models';

export const signatureHeader = 'X-Chancery-Signature';

/** `sha256=<hex HMAC-SHA256 of the raw body with the rule's secret>`. */
export function signature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** An answer other than 2xx, or none: worth another attempt. */
export class DeliveryFailed extends Error {
  constructor(message: string, readonly responseCode: number | null = null) {
    super(message);
  }
}

/** The destination is refused by policy: no attempt can succeed, so the delivery dies at once. */
export class DestinationRefused extends Error {}

/** Every address a host name resolves to. */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

const resolveWithDns: Resolve = (hostname) => dns.lookup(hostname, { all: true });

/** A connect-time lookup that refuses the host if any of its addresses is refused. */
function guardedLookup(policy: WebhookPolicy, resolve: Resolve): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then((resolved) => {
      const addresses = options.family === 4 || options.family === 6 ? resolved.filter((entry) => entry.family === options.family) : resolved;
      if (addresses.length === 0) throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
      const refusal = addresses.map((entry) => refusedAddress(entry.address, policy)).find((reason) => reason !== null);
      if (refusal) throw new DestinationRefused(`${hostname} resolves to a refused address: ${refusal}`);
      if (options.all) (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    }).catch((error: NodeJS.ErrnoException) => callback(error, '', 4));
  };
}

export type WebhookRequest = {
  url: string;
  secret: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  policy: WebhookPolicy;
  /** How host names resolve; DNS unless a test says otherwise. */
  resolve?: Resolve;
};

/** Resolves with the response code of a 2xx answer; rejects with DeliveryFailed or DestinationRefused. */
export function postWebhook(request: WebhookRequest): Promise<number> {
  const problem = webhookUrlProblem(request.url, request.policy);
  if (problem) return Promise.reject(new DestinationRefused(problem));
  const url = new URL(request.url);
  const client = url.protocol === 'https:' ? https : http;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise<number>((resolve, reject) => {
    const outgoing = client.request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(request.body)),
        'user-agent': 'chancery-alerter',
        [signatureHeader]: signature(request.body, request.secret),
        ...request.headers,
      },
      // A literal IP connects without a lookup; webhookUrlProblem has judged it already.
      ...(isIP(host) ? {} : { lookup: guardedLookup(request.policy, request.resolve ?? resolveWithDns) }),
      // A fresh connection each time: a kept-alive socket would skip the lookup and its check.
      agent: false,
      signal: AbortSignal.timeout(request.timeoutMs),
    }, (response) => {
      let excerpt = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (excerpt.length < 300) excerpt += chunk;
      });
      response.on('error', (error) => reject(new DeliveryFailed(error.message, response.statusCode ?? null)));
      response.on('end', () => {
        const code = response.statusCode ?? 0;
        if (code >= 200 && code < 300) resolve(code);
        else reject(new DeliveryFailed(`HTTP ${code}${excerpt ? `: ${excerpt.slice(0, 300)}` : ''}`, code));
      });
    });
    outgoing.on('error', (error) => {
      if (error instanceof DestinationRefused || (error as { cause?: unknown }).cause instanceof DestinationRefused) {
        reject(error instanceof DestinationRefused ? error : (error as { cause: DestinationRefused }).cause);
      } else if (error.name === 'AbortError' || error.name === 'TimeoutError') {
        reject(new DeliveryFailed(`no answer within ${request.timeoutMs} ms`));
      } else {
        reject(new DeliveryFailed(error.message));
      }
    });
    outgoing.end(request.body);
  });
}
