import { type LookupAddress, lookup } from 'node:dns';
import { isIP } from 'node:net';
import { type CidrSet, compileCidrs, refusedTargetReason } from '@unmogrowp/attribution';

/** The operator's exceptions (POSTBACK_ALLOWED_CIDRS), parsed once. */
export function allowedTargets(cidrs: readonly string[]): CidrSet {
  return compileCidrs(cidrs);
}

export class RefusedTargetError extends Error {
  readonly code = 'EREFUSEDTARGET';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(`${host === address ? address : `${host} resolves to ${address}`}, ${reason}; postbacks go to public addresses only`);
    this.name = 'RefusedTargetError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request: resolves the name, refuses it when ANY of its addresses is
 * in a refused range, and hands the socket exactly the address it checked. Checking and
 * connecting are one step, so a name that answers a public address to a first query and
 * 127.0.0.1 to the next (DNS rebinding) gains nothing.
 */
export function checkedLookup(allowed: CidrSet) {
  return (hostname: string, options: { all?: boolean; family?: number } | number, callback: LookupCallback): void => {
    const family = typeof options === 'number' ? options : (options.family ?? 0);
    const wantsAll = typeof options === 'object' && options.all === true;
    lookup(hostname, { all: true, family }, (err, addresses) => {
      if (err) return callback(err, '');
      const refused = firstRefused(hostname, addresses, allowed);
      if (refused) return callback(refused as unknown as NodeJS.ErrnoException, '');
      if (wantsAll) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

function firstRefused(host: string, addresses: readonly LookupAddress[], allowed: CidrSet): RefusedTargetError | null {
  for (const { address } of addresses) {
    const reason = refusedTargetReason(address, allowed);
    if (reason) return new RefusedTargetError(host, address, reason);
  }
  return null;
}

/**
 * Why a postback URL may not be saved, or null. A literal address is judged as written; a name
 * is resolved now (a name that does not resolve yet is accepted: delivery checks again).
 */
export async function refusedTargetOf(url: string, allowed: CidrSet): Promise<string | null> {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return 'the URL does not parse';
  }
  if (isIP(host))
    return refusedTargetReason(host, allowed) === null
      ? null
      : new RefusedTargetError(host, host, refusedTargetReason(host, allowed)!).message;
  const addresses = await new Promise<LookupAddress[]>((resolve) => lookup(host, { all: true }, (err, found) => resolve(err ? [] : found)));
  return firstRefused(host, addresses, allowed)?.message ?? null;
}
