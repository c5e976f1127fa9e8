/**
 * IPv4/IPv6 text → bytes, small and strict, so CIDR block lists and IP equality do not depend on
 * how an address happened to be written ('2001:DB8::1' = '2001:db8:0:0:0:0:0:1', '::ffff:1.2.3.4' = '1.2.3.4').
 */
export type IpBytes = Uint8Array;

const V4_OCTET = /^(?:0|[1-9]\d{0,2})$/;
const V6_GROUP = /^[0-9a-f]{1,4}$/i;

function parseV4(text: string): IpBytes | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    // Leading zeros are refused: some stacks read '010' as octal, so its meaning is ambiguous.
    if (!V4_OCTET.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function groupsOf(text: string): number[] | null {
  if (text === '') return [];
  const out: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseV4(part);
      if (!v4) return null;
      out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else if (V6_GROUP.test(part)) {
      out.push(Number.parseInt(part, 16));
    } else {
      return null;
    }
  }
  return out;
}

function parseV6(text: string): IpBytes | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return null;
  // An embedded IPv4 part may only end the address.
  if (halves.length === 2 && halves[0]!.includes('.')) return null;
  const given = head.length + tail.length;
  if (halves.length === 2 ? given > 7 : given !== 8) return null;
  const groups = [...head, ...new Array<number>(8 - given).fill(0), ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/** Bytes exactly as written: 4 for IPv4, 16 for IPv6 (IPv4-mapped IPv6 stays 16). Brackets and zone ids are dropped. */
export function parseIpExact(input: string): IpBytes | null {
  let text = input.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (text === '') return null;
  return text.includes(':') ? parseV6(text) : parseV4(text);
}

export function isV4Mapped(bytes: IpBytes): boolean {
  if (bytes.length !== 16) return false;
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/** Like parseIpExact, but an IPv4-mapped IPv6 address ('::ffff:1.2.3.4', what dual-stack sockets report) becomes IPv4. */
export function parseIp(input: string): IpBytes | null {
  const bytes = parseIpExact(input);
  return bytes && isV4Mapped(bytes) ? bytes.slice(12) : bytes;
}

export function toV4Mapped(v4: IpBytes): IpBytes {
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  out.set(v4, 12);
  return out;
}

/** One spelling per address, for equality and map keys; text that is not an IP is kept (trimmed, lower-cased). */
export function canonicalIp(input: string): string {
  const bytes = parseIp(input);
  if (!bytes) return input.trim().toLowerCase();
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(':');
}
