import { type CidrSet, compileCidrs, ipInCidrSet } from './cidr.ts';

/**
 * Address ranges a server-side request (a postback) must never reach unless the operator allows
 * them: they lead into the machine itself, the private network, or cloud metadata services.
 * Each with the reason shown to the manager who saved the target.
 */
const REFUSED: readonly { cidr: string; reason: string }[] = [
  { cidr: '0.0.0.0/8', reason: 'an unspecified ("this network") address' },
  { cidr: '127.0.0.0/8', reason: 'a loopback address' },
  { cidr: '10.0.0.0/8', reason: 'a private address' },
  { cidr: '172.16.0.0/12', reason: 'a private address' },
  { cidr: '192.168.0.0/16', reason: 'a private address' },
  { cidr: '100.64.0.0/10', reason: 'a shared (carrier-grade NAT) address' },
  { cidr: '169.254.0.0/16', reason: 'a link-local address (cloud metadata lives here)' },
  { cidr: '192.0.0.0/24', reason: 'an IETF protocol address' },
  { cidr: '198.18.0.0/15', reason: 'a benchmarking address' },
  { cidr: '224.0.0.0/4', reason: 'a multicast address' },
  { cidr: '240.0.0.0/4', reason: 'a reserved address' },
  { cidr: '::/128', reason: 'an unspecified address' },
  { cidr: '::1/128', reason: 'a loopback address' },
  { cidr: 'fc00::/7', reason: 'a unique-local (private) address' },
  { cidr: 'fe80::/10', reason: 'a link-local address' },
  { cidr: 'ff00::/8', reason: 'a multicast address' },
  { cidr: '64:ff9b:1::/48', reason: 'a local-use translation address' },
];
const COMPILED = REFUSED.map((r) => ({ set: compileCidrs([r.cidr]), reason: r.reason }));

/**
 * Why `ip` may not be a postback target, or null when it may (a public address, or one inside
 * `allowed`, the operator's POSTBACK_ALLOWED_CIDRS). IPv4-mapped IPv6 is judged as IPv4.
 */
export function refusedTargetReason(ip: string, allowed: CidrSet): string | null {
  if (ipInCidrSet(ip, allowed)) return null;
  for (const { set, reason } of COMPILED) if (ipInCidrSet(ip, set)) return reason;
  return null;
}
