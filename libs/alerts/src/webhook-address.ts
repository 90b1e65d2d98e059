import { BlockList, isIP } from 'node:net';

/**
 * Which addresses a webhook may not reach unless `WEBHOOK_ALLOW_PRIVATE_ADDRESSES` is set: every
 * address that is not on the public internet. A webhook URL is chosen by staff; without this, it
 * could make the worker call the services of its own network (a cloud metadata service, Redis,
 * an admin interface) and, through the reminder's `lastError`, tell which of them answer
 * (server-side request forgery).
 */

/** IPv4 ranges that are not public (IANA special-purpose registry, RFC 6890). */
const IPV4_RANGES: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 (unspecified)
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // shared address space (carrier-grade NAT, RFC 6598)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, where cloud metadata services answer
  ['172.16.0.0', 12], // private (RFC 1918)
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast (deprecated)
  ['192.168.0.0', 16], // private (RFC 1918)
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 (broadcast)
];

/** IPv6 ranges that are not public. IPv4-mapped addresses (`::ffff:a.b.c.d`) count as their IPv4 address. */
const IPV6_RANGES: ReadonlyArray<readonly [string, number]> = [
  ['::', 96], // unspecified (::), loopback (::1) and the deprecated IPv4-compatible ::a.b.c.d
  ['64:ff9b:1::', 48], // local-use IPv4/IPv6 translation
  ['100::', 64], // discard-only
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

/** The IPv6 prefix (as 8 hex groups, with `bits` set) that embeds an IPv4 range at bit `offset`. */
function embedded(prefix: number[], offset: number, [address, length]: readonly [string, number]): [string, number] {
  const groups = [...prefix, 0, 0, 0, 0, 0, 0, 0, 0].slice(0, 8);
  const v4 = address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const index = offset / 16;
  groups[index] = Math.floor(v4 / 65536);
  groups[index + 1] = v4 % 65536;
  return [groups.map((g) => g.toString(16)).join(':'), offset + length];
}

const blocked = new BlockList();
for (const [address, length] of IPV4_RANGES) {
  blocked.addSubnet(address, length, 'ipv4');
  // The same IPv4 ranges reached through NAT64 (64:ff9b::a.b.c.d) or 6to4 (2002:aabb:ccdd::).
  blocked.addSubnet(...embedded([0x64, 0xff9b], 96, [address, length]), 'ipv6');
  blocked.addSubnet(...embedded([0x2002], 16, [address, length]), 'ipv6');
}
for (const [address, length] of IPV6_RANGES) blocked.addSubnet(address, length, 'ipv6');

/**
 * Whether `address` (an IPv4 or IPv6 address, without brackets) is loopback, private, link-local,
 * unique-local, shared (CGNAT), unspecified, multicast, broadcast or otherwise not public,
 * including the IPv4-mapped IPv6 form of such an address (`::ffff:127.0.0.1`). Anything that is
 * not an IP address at all counts as not allowed too.
 */
export function isPrivateAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 0) return true;
  return blocked.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

/** A URL's host without the brackets of an IPv6 literal (`[::1]` -> `::1`). */
export function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/**
 * Whether a URL's host is, on its face, on a private network: an IP literal in the ranges of
 * `isPrivateAddress`, or `localhost` / `*.localhost` (which always resolve to loopback, RFC 6761).
 * Other names are only known once resolved, when the webhook is sent.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = bareHost(hostname).toLowerCase().replace(/\.$/, '');
  if (isIP(host) !== 0) return isPrivateAddress(host);
  return host === 'localhost' || host.endsWith('.localhost');
}

/** Why a webhook URL is refused for its host, or null (for a URL that does not parse, too: others say why). */
export function webhookHostProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  return isPrivateHost(url.hostname) ? 'must not point at a loopback, private or link-local network address' : null;
}
