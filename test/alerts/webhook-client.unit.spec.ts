// One webhook POST against an in-process endpoint: what is sent, and which destinations are refused
// before anything is sent, including host names that resolve to refused addresses.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeliveryFailed, DestinationRefused, postWebhook, type Resolve } from '../../apps/alerter/src/delivery/webhook-client.js';
import { signatureVerifies, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const secret = 'unit-test-webhook-secret-00001';
const body = JSON.stringify({ id: 'an-alert', summary: 'Warning by NATO — “military presence”' });

describe('a webhook POST', () => {
  let endpoint: WebhookReceiver;
  let answer = 200;

  beforeAll(async () => {
    endpoint = await startWebhookReceiver(() => answer);
  });
  afterAll(() => endpoint.close());

  const post = (url: string, options: { allowLoopback?: boolean; resolve?: Resolve } = {}) => postWebhook({
    url, secret, body, headers: { 'X-Chancery-Alert-Id': 'an-alert' }, timeoutMs: 2_000,
    policy: { allowLoopback: options.allowLoopback ?? true }, resolve: options.resolve,
  });

  it('sends the raw JSON body signed with HMAC-SHA256 of the secret', async () => {
    expect(await post(endpoint.url)).toBe(200);
    const [request] = endpoint.received.slice(-1);
    expect(request!.body).toBe(body);
    expect(request!.headers['x-chancery-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(signatureVerifies(request!, secret)).toBe(true);
    expect(request!.headers).toMatchObject({ 'content-type': 'application/json', 'x-chancery-alert-id': 'an-alert' });
  });

  it('fails with the response code of an answer other than 2xx', async () => {
    answer = 410;
    const failure = await post(endpoint.url).catch((error: unknown) => error);
    answer = 200;
    expect(failure).toBeInstanceOf(DeliveryFailed);
    expect(failure).toMatchObject({ responseCode: 410 });
  });

  it('refuses loopback unless allowed, before connecting', async () => {
    const before = endpoint.received.length;
    await expect(post(endpoint.url, { allowLoopback: false })).rejects.toBeInstanceOf(DestinationRefused);
    expect(endpoint.received).toHaveLength(before);
  });

  it('refuses a host name that resolves to a metadata address, or to any refused address among others', async () => {
    const url = (host: string) => endpoint.url.replace('127.0.0.1', host);
    const metadata: Resolve = async () => [{ address: '169.254.169.254', family: 4 }];
    const mixed: Resolve = async () => [{ address: '93.184.216.34', family: 4 }, { address: 'fe80::1', family: 6 }];
    await expect(post(url('rebound.example.test'), { resolve: metadata })).rejects.toThrow('rebound.example.test resolves to a refused address: 169.254.169.254');
    await expect(post(url('mixed.example.test'), { resolve: mixed })).rejects.toThrow('fe80::1 is a link-local');
  });

  it('connects to the address the name resolved to, once it is allowed', async () => {
    const before = endpoint.received.length;
    const local: Resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    expect(await post(endpoint.url.replace('127.0.0.1', 'hooks.example.test'), { resolve: local })).toBe(200);
    expect(endpoint.received).toHaveLength(before + 1);
    expect(endpoint.received.at(-1)!.headers.host).toMatch(/^hooks\.example\.test:\d+$/);
    await expect(post(endpoint.url.replace('127.0.0.1', 'hooks.example.test'), { resolve: local, allowLoopback: false }))
      .rejects.toThrow('hooks.example.test resolves to a refused address: 127.0.0.1 is a loopback address');
  });
});
