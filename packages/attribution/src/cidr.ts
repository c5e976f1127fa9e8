import { type IpBytes, parseIp, parseIpExact, toV4Mapped } from './ip.ts';

/** A parsed CIDR range. A bare address is a range of one (/32 or /128). */
export interface Cidr {
  network: IpBytes;
  prefix: number;
}

/** A block list parsed once; decideInstall accepts it in place of the strings to skip re-parsing per install. */
export interface CidrSet {
  readonly cidrs: readonly Cidr[];
}

const PREFIX = /^\d{1,3}$/;

export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const address = slash >= 0 ? text.slice(0, slash) : text;
  const network = parseIpExact(address);
  if (!network) return null;
  const bits = network.length * 8;
  if (slash < 0) return { network, prefix: bits };
  const prefixText = text.slice(slash + 1).trim();
  if (!PREFIX.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix <= bits ? { network, prefix } : null;
}

/** Unparseable entries are skipped: validateSettings refuses them at the door, so here they only come from old data. */
export function compileCidrs(list: readonly string[]): CidrSet {
  const cidrs: Cidr[] = [];
  for (const entry of list) {
    const cidr = parseCidr(entry);
    if (cidr) cidrs.push(cidr);
  }
  return { cidrs };
}

function prefixEquals(a: IpBytes, b: IpBytes, prefix: number): boolean {
  const whole = prefix >> 3;
  for (let i = 0; i < whole; i++) if (a[i] !== b[i]) return false;
  const rest = prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (a[whole]! & mask) === (b[whole]! & mask);
}

function bytesInCidr(ip: IpBytes, cidr: Cidr): boolean {
  if (ip.length === cidr.network.length) return prefixEquals(ip, cidr.network, cidr.prefix);
  // parseIp folds IPv4-mapped addresses to IPv4, so an IPv6 range (e.g. '::ffff:0:0/96', '::/0') sees them mapped again.
  if (ip.length === 4) return prefixEquals(toV4Mapped(ip), cidr.network, cidr.prefix);
  return false;
}

export function ipInCidr(ip: string, cidr: string | Cidr): boolean {
  const bytes = parseIp(ip);
  const range = typeof cidr === 'string' ? parseCidr(cidr) : cidr;
  return bytes !== null && range !== null && bytesInCidr(bytes, range);
}

export function ipInCidrSet(ip: string, set: CidrSet | readonly string[]): boolean {
  const cidrs = 'cidrs' in set ? set.cidrs : compileCidrs(set).cidrs;
  // Most apps block nothing: no address to parse then (an install asks twice, app and operator lists).
  if (cidrs.length === 0) return false;
  const bytes = parseIp(ip);
  if (!bytes) return false;
  return cidrs.some((cidr) => bytesInCidr(bytes, cidr));
}
