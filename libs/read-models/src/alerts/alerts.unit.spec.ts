import { describe, expect, it } from '@jest/globals';
import { alertId, uuidV5 } from './alert-id.js';
import { alertRuleBody, alertRuleDefinition } from './alert-rule.js';
import { refusedAddress, webhookPolicyFrom, webhookUrlProblem } from './webhook-policy.js';

describe('alert ids', () => {
  it('are RFC 9562 version 5 UUIDs (checked against the RFC\'s DNS-namespace example)', () => {
    const dns = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex');
    expect(uuidV5('www.example.com', dns)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('are the same for the same rule and trigger, and differ when either differs', () => {
    const rule = '0b6f6c9e-2a4e-4f4e-9a53-3f1c1b1d2e3f';
    expect(alertId(rule, 'event:a')).toBe(alertId(rule, 'event:a'));
    expect(alertId(rule, 'event:a')).not.toBe(alertId(rule, 'event:b'));
    expect(alertId(rule, 'event:a')).not.toBe(alertId('1b6f6c9e-2a4e-4f4e-9a53-3f1c1b1d2e3f', 'event:a'));
  });
});

describe('webhook destinations', () => {
  const strict = { allowLoopback: false };
  const loose = { allowLoopback: true };

  it('takes public and private http(s) addresses and names', () => {
    for (const url of ['https://hooks.example.org/chancery', 'http://10.1.2.3:8080/hook', 'http://[2001:db8::1]/hook', 'https://dashboards.internal/hook']) {
      expect(webhookUrlProblem(url, strict)).toBeNull();
    }
  });

  it('refuses other schemes, credentials in the URL, and what is not a URL', () => {
    expect(webhookUrlProblem('ftp://example.org/hook', strict)).toBe('only http and https URLs');
    expect(webhookUrlProblem('file:///etc/passwd', strict)).toBe('only http and https URLs');
    expect(webhookUrlProblem('https://user:pass@example.org/', strict)).toMatch(/credentials/);
    expect(webhookUrlProblem('example.org/hook', strict)).toBe('not a URL');
  });

  it('refuses link-local and metadata addresses in any spelling, loopback allowed or not', () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/', 'http://2852039166/', 'http://0xA9FEA9FE/', 'http://[fe80::1]/', 'http://[::ffff:169.254.169.254]/',
      'http://[fd00:ec2::254]/', 'http://metadata.google.internal/computeMetadata/v1/', 'http://0.0.0.0:8080/', 'http://[::]/',
    ]) {
      expect({ url, problem: webhookUrlProblem(url, loose) }).toEqual({ url, problem: expect.any(String) });
    }
  });

  it('refuses loopback unless it is allowed', () => {
    for (const url of ['http://127.0.0.1:9000/hook', 'http://127.1.2.3/', 'http://[::1]/', 'http://localhost:3000/', 'http://LOCALHOST./', 'http://[::ffff:127.0.0.1]/']) {
      expect(webhookUrlProblem(url, strict)).toMatch(/loopback/);
      expect(webhookUrlProblem(url, loose)).toBeNull();
    }
    expect(refusedAddress('127.0.0.1', strict)).toMatch(/CHANCERY_WEBHOOK_ALLOW_LOOPBACK/);
  });

  it('reads CHANCERY_WEBHOOK_ALLOW_LOOPBACK strictly', () => {
    expect(webhookPolicyFrom({})).toEqual({ allowLoopback: false });
    expect(webhookPolicyFrom({ CHANCERY_WEBHOOK_ALLOW_LOOPBACK: 'true' })).toEqual({ allowLoopback: true });
    expect(() => webhookPolicyFrom({ CHANCERY_WEBHOOK_ALLOW_LOOPBACK: 'yes' })).toThrow('CHANCERY_WEBHOOK_ALLOW_LOOPBACK');
  });
});

describe('alert rules as written', () => {
  const body = alertRuleBody({ allowLoopback: false });
  const problems = (value: unknown) => {
    const parsed = body.safeParse(value);
    return parsed.success ? [] : parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message]);
  };

  it('fills the defaults of each kind and keeps the webhook apart from the definition', () => {
    expect(body.parse({ name: 'surges', kind: 'surge', severity: 'medium', increase: 1, minBaseline: 2, webhook: { url: 'https://example.org/h', secret: '0123456789abcdef' } }))
      .toEqual({
        definition: { name: 'surges', kind: 'surge', severity: 'medium', match: {}, window: '7d', baseline: '28d', increase: 1, minBaseline: 2 },
        webhook: { url: 'https://example.org/h', secret: '0123456789abcdef' },
      });
    expect(alertRuleDefinition.parse({ name: 'open demands', kind: 'unanswered-demand', severity: 'low', afterDays: 30 }))
      .toEqual({ name: 'open demands', kind: 'unanswered-demand', severity: 'low', afterDays: 30, match: {} });
  });

  it('says where each problem is', () => {
    expect(problems({ name: 'x', kind: 'alarm', severity: 'high' })).toEqual([['kind', expect.stringContaining('event')]]);
    expect(problems({ name: 'x', kind: 'event', severity: 'urgent', match: { types: ['PartyRegistered'], colour: 'red' } })).toEqual([
      ['severity', expect.any(String)], ['match.types.0', expect.any(String)], ['match', 'Unrecognized key: "colour"'],
    ]);
    expect(problems({ name: 'x', kind: 'tension', severity: 'high', pair: ['RUS', 'RUS'], window: '14d', threshold: 11 })).toEqual([
      ['window', expect.any(String)], ['threshold', expect.any(String)],
    ]);
    expect(problems({ name: 'x', kind: 'tension', severity: 'high', pair: ['RUS', 'RUS'], window: '7d', threshold: 5 })).toEqual([
      ['pair.1', 'a pair is two different parties'],
    ]);
    expect(problems({ name: 'x', kind: 'surge', severity: 'high', window: '28d', baseline: '7d', increase: 0, minBaseline: 1 })).toEqual([
      ['increase', expect.any(String)], ['baseline', 'the baseline is at least as long as the window'],
    ]);
    expect(problems({ name: 'x', kind: 'unanswered-demand', severity: 'high', afterDays: 1.5, match: { types: ['DemandIssued'] } })).toEqual([
      ['match', expect.stringContaining('types')], ['afterDays', expect.any(String)],
    ]);
    expect(problems({ name: 'x', kind: 'event', severity: 'high', webhook: { url: 'http://169.254.169.254/', secret: 'short' } })).toEqual([
      ['webhook.url', expect.stringContaining('link-local')], ['webhook.secret', 'at least 16 characters'],
    ]);
  });
});
