import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { CallbackPoster } from '#ports/callbacks';

/**
 * Addresses a customer's callback URL may not reach from inside the platform (SSRF): loopback, private,
 * link-local (incl. the instance metadata range), CGNAT, unspecified, and their IPv6 counterparts.
 * Node's own `BlockList` does the CIDR matching.
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
// IPv4-mapped IPv6 (::ffff:127.0.0.1) is matched against the IPv4 subnets by BlockList itself.
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Sends callbacks with `fetch`: a per-attempt timeout, no redirects followed (a redirect could lead to a
 * private address), the answer's body discarded. Unless `allowPrivateHosts` (the local stack, where the
 * receiver is on 127.0.0.1), a host resolving to a private address is refused before connecting.
 */
export function makeHttpCallbackPoster(
  options: { timeoutMs?: number; allowPrivateHosts?: boolean; fetch?: typeof fetch } = {},
): CallbackPoster {
  const timeoutMs = options.timeoutMs ?? 5000;
  return {
    async send(job, headers) {
      const url = new URL(job.url);
      if (!options.allowPrivateHosts) {
        const host = url.hostname.replace(/^\[|\]$/g, '');
        const addresses = isIP(host)
          ? [host]
          : await lookup(host, { all: true }).then(
              (found) => found.map((a) => a.address),
              () => [],
            );
        if (addresses.length === 0) return { ok: false, error: `cannot resolve ${host}` };
        if (addresses.some(isPrivateAddress)) {
          return { ok: false, error: 'callback host resolves to a private address' };
        }
      }
      try {
        const response = await (options.fetch ?? globalThis.fetch)(url, {
          method: job.method,
          headers,
          ...(job.body === undefined || job.method === 'GET' ? {} : { body: job.body }),
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        return response.ok
          ? { ok: true, status: response.status }
          : { ok: false, status: response.status, error: `HTTP ${response.status}` };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
