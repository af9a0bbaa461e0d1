// Where a webhook may call: a public address, not the server's own network (loopback, private ranges, link-local
// with the clouds' metadata service at 169.254.169.254, and the like), unless the install allows it
// (PARLEY_WEBHOOK_ALLOW_PRIVATE). Checked when a webhook is added and again at each call, on the address the call
// connects to, so a name that resolves to a public address when added and to an internal one later is refused.
import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import { ParleyError } from './errors.js';

const INTERNAL = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, the metadata service
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64: an IPv4 address in disguise
  ['fc00::', 7], // unique local (AWS's metadata at fd00:ec2::254)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address is inside a private network or the machine itself (IPv4-mapped IPv6 counts as IPv4). */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A URL's host as an address when it is one (IPv6 without its brackets), else null. */
export function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) ? host : null;
}

export const internalRefusal = (host: string, address: string) =>
  new ParleyError(
    400,
    'internal_address',
    `The webhook URL's host ${host} is ${host === address ? 'an' : `at ${address}, an`} internal address (this machine or a private network). ` +
      'Parley calls only public addresses unless the server sets PARLEY_WEBHOOK_ALLOW_PRIVATE=true.',
  );

/**
 * Refuses a webhook URL whose host is, or resolves to, an internal address. A name that does not resolve now is
 * let through: it is checked again at each call.
 */
export async function checkWebhookHost(url: URL): Promise<void> {
  const literal = literalAddress(url);
  if (literal) {
    if (isInternalAddress(literal)) throw internalRefusal(literal, literal);
    return;
  }
  const addresses = await lookup(url.hostname, { all: true }).catch(() => []);
  const internal = addresses.find((a) => isInternalAddress(a.address));
  if (internal) throw internalRefusal(url.hostname, internal.address);
}
