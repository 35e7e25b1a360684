// Where webhooks may go. A rule's URL is chosen by an admin but fetched by the server, so the
// server refuses addresses that would turn it against its own network: link-local (where cloud
// metadata services answer), metadata hosts, "this host", multicast, and, unless allowed, loopback.
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

export type WebhookPolicy = {
  /** Loopback (127.0.0.0/8, ::1, localhost) is refused unless this is set: tests and single-host set-ups. */
  allowLoopback: boolean;
};

const flag = z.enum(['true', 'false']).default('false').transform((value) => value === 'true');

/** CHANCERY_WEBHOOK_ALLOW_LOOPBACK=true|false (default false). */
export function webhookPolicyFrom(env: NodeJS.ProcessEnv = process.env): WebhookPolicy {
  const parsed = flag.safeParse(env.CHANCERY_WEBHOOK_ALLOW_LOOPBACK);
  if (!parsed.success) throw new Error('configuration: CHANCERY_WEBHOOK_ALLOW_LOOPBACK is invalid: expected true or false');
  return { allowLoopback: parsed.data };
}

const refused = new BlockList();
refused.addSubnet('0.0.0.0', 8, 'ipv4'); // "this network": 0.0.0.0 reaches the local host
refused.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local, 169.254.169.254 is the cloud metadata service
refused.addSubnet('224.0.0.0', 4, 'ipv4'); // multicast
refused.addSubnet('240.0.0.0', 4, 'ipv4'); // reserved and broadcast
refused.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
refused.addAddress('::', 'ipv6');
refused.addSubnet('fe80::', 10, 'ipv6'); // link-local
refused.addSubnet('ff00::', 8, 'ipv6'); // multicast
refused.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

const metadataHosts = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

/** Why an IP address is refused, or null when a webhook may be sent to it. IPv4-mapped IPv6 is judged as IPv4. */
export function refusedAddress(address: string, policy: WebhookPolicy): string | null {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (refused.check(address, type)) return `${address} is a link-local, metadata, multicast or unspecified address`;
  if (!policy.allowLoopback && loopback.check(address, type)) {
    return `${address} is a loopback address (set CHANCERY_WEBHOOK_ALLOW_LOOPBACK=true to allow it)`;
  }
  return null;
}

/** Why a webhook URL is refused before any DNS lookup, or null. A host name is checked again, resolved, at each delivery. */
export function webhookUrlProblem(text: string, policy: WebhookPolicy): string | null {
  if (!URL.canParse(text)) return 'not a URL';
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https URLs';
  if (url.username || url.password) return 'credentials do not go in the URL; the signature authenticates deliveries';
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (!host) return 'the URL names no host';
  if (isIP(host)) return refusedAddress(host, policy);
  if (metadataHosts.has(host)) return `${host} is a cloud metadata host`;
  if ((host === 'localhost' || host.endsWith('.localhost')) && !policy.allowLoopback) {
    return `${host} is a loopback host (set CHANCERY_WEBHOOK_ALLOW_LOOPBACK=true to allow it)`;
  }
  return null;
}
