import { randomUUID } from 'node:crypto';
import { parseIp } from '@unmogrowp/attribution';

/**
 * What a log line may say about a client address: its network, not the person. IPv4 keeps the
 * /24, IPv6 the /48 (the prefixes stored rows keep once a rule no longer needs the full address).
 */
const PLAIN_V4 = /^(?:::ffff:)?(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}$/;

export function logSafeIp(ip: string | undefined): string | undefined {
  if (!ip) return ip;
  // The common case, without parsing bytes: one log line per request pays for this.
  const v4 = PLAIN_V4.exec(ip);
  if (v4) return `${v4[1]}.0/24`;
  const bytes = parseIp(ip);
  if (!bytes) return 'unparsable';
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.0/24`;
  const groups: string[] = [];
  for (let i = 0; i < 6; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return `${groups.join(':')}::/48`;
}

/** A caller's request id is kept when it is short and plain; anything else could forge or flood log lines. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:/+=-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * Fields pino replaces with "[redacted]" wherever they appear at the top of a line or one level
 * down (pino's wildcard): credentials of every kind we handle, by the names they travel under.
 */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'password',
  'current_password',
  'new_password',
  'token',
  'access_token',
  'refresh_token',
  'sdk_key',
  'server_key',
  'api_key',
  'writeKey',
  'x-api-key',
];
/** pino paths: `a.b`, or `a["x-b"]` for a key that is not an identifier. */
const at = (prefix: string, field: string) =>
  /^[A-Za-z_]\w*$/.test(field) ? `${prefix}${prefix ? '.' : ''}${field}` : `${prefix}["${field}"]`;
export const REDACT_PATHS = ['', '*', 'headers', '*.*'].flatMap((prefix) => SECRET_FIELDS.map((f) => at(prefix, f)));
