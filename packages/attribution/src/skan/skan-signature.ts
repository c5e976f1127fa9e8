import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { APPLE_AAK_DEVELOPMENT_KEYS, APPLE_AAK_PRODUCTION_KEYS, APPLE_SKAN_KEY_P192_V2, APPLE_SKAN_KEY_P256 } from './apple-keys.ts';
import { PostbackShapeError, readSkanFields, type SkanPostback } from './skan-postback.ts';

/**
 * Checks the signature of a SKAdNetwork or AdAttributionKit postback the way Apple documents it
 * (see docs/skadnetwork.md, "What is verified"). Pure computation: no clock, no I/O.
 */
export interface VerifyOptions {
  /** Extra keys tried after Apple's (SKAN_TEST_PUBLIC_KEY): for tests only. */
  testKeys?: readonly KeyObject[];
  /** Accept AdAttributionKit development-signed postbacks (SKAN_ACCEPT_DEVELOPMENT_KEYS). */
  acceptDevelopmentKeys?: boolean;
}

export type Verification = { verified: true; signer: 'apple' | 'apple-development' | 'test' } | { verified: false; reason: string };

export interface ReadPostback {
  postback: SkanPostback;
  verification: Verification;
}

/** SKAdNetwork versions whose signed fields Apple documents; 1.0 carries no version and is refused. */
export const SKAN_VERSIONS = ['2.0', '2.1', '2.2', '3.0', '4.0'] as const;
const SEPARATOR = '\u2063';

const appleP256 = derKey(APPLE_SKAN_KEY_P256);
const appleP192 = derKey(APPLE_SKAN_KEY_P192_V2);

/**
 * Reads and verifies one postback body. Throws PostbackShapeError when the body is not a
 * postback at all (the route answers 400); a postback whose signature cannot be checked or does
 * not match comes back with `verified: false` and the reason.
 */
export function readPostback(body: unknown, options: VerifyOptions = {}): ReadPostback {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new PostbackShapeError('body', 'The postback must be a JSON object.');
  }
  const raw = body as Record<string, unknown>;
  return typeof raw['jws-string'] === 'string' ? readAak(raw, options) : readSkan(raw, options);
}

function readSkan(raw: Record<string, unknown>, options: VerifyOptions): ReadPostback {
  const version = raw.version;
  if (typeof version !== 'string' || version.length > 10)
    throw new PostbackShapeError('version', 'version must be a string such as "4.0".');
  const postback = readSkanFields(raw, 'skan', version, raw);
  if (!(SKAN_VERSIONS as readonly string[]).includes(version)) {
    return { postback, verification: { verified: false, reason: `unsupported_version: ${version}` } };
  }
  const signature = raw['attribution-signature'];
  if (typeof signature !== 'string' || signature.length === 0 || signature.length > 512) {
    return { postback, verification: { verified: false, reason: 'missing_signature' } };
  }
  const message = signedSkanMessage(raw, version);
  if (typeof message !== 'string') return { postback, verification: { verified: false, reason: message.missing } };
  const data = Buffer.from(message, 'utf8');
  const sig = Buffer.from(signature, 'base64');
  const apple = version === '2.0' ? appleP192 : appleP256;
  if (checks(data, apple, sig, 'der')) return { postback, verification: { verified: true, signer: 'apple' } };
  if ((options.testKeys ?? []).some((k) => checks(data, k, sig, 'der')))
    return { postback, verification: { verified: true, signer: 'test' } };
  return { postback, verification: { verified: false, reason: 'bad_signature' } };
}

/**
 * The UTF-8 string Apple signs for a SKAdNetwork version: the listed values joined by U+2063.
 * `source-app-id` (or, from 4.0, `source-domain`) joins only when present; conversion values
 * are never part of it.
 */
export function signedSkanMessage(raw: Record<string, unknown>, version: string): string | { missing: string } {
  const v4 = version === '4.0';
  const fields = ['version', 'ad-network-id', v4 ? 'source-identifier' : 'campaign-id', 'app-id', 'transaction-id', 'redownload'];
  const optional = v4 ? ['source-app-id', 'source-domain'] : ['source-app-id'];
  const tail = version === '2.0' || version === '2.1' ? [] : version === '2.2' ? ['fidelity-type'] : ['fidelity-type', 'did-win'];
  if (v4) tail.push('postback-sequence-index');
  const parts: string[] = [];
  for (const f of fields) {
    const text = valueText(raw[f]);
    if (text === null) return { missing: `missing_field: ${f}` };
    parts.push(text);
  }
  for (const f of optional) {
    const text = valueText(raw[f]);
    if (text !== null) {
      parts.push(text);
      break; // source-app-id or source-domain, never both
    }
  }
  for (const f of tail) {
    const text = valueText(raw[f]);
    if (text === null) return { missing: `missing_field: ${f}` };
    parts.push(text);
  }
  return parts.join(SEPARATOR);
}

function readAak(raw: Record<string, unknown>, options: VerifyOptions): ReadPostback {
  const jws = raw['jws-string'] as string;
  const [h, p, s, extra] = jws.split('.');
  if (!h || !p || s === undefined || extra !== undefined || jws.length > 8192) {
    throw new PostbackShapeError('jws-string', 'jws-string must be a compact JWS (three base64url parts).');
  }
  const header = decodeJsonPart(h, 'jws-string header');
  const payload = decodeJsonPart(p, 'jws-string payload');
  const postback = readSkanFields(raw, 'aak', 'aak', payload);
  if (header.alg !== 'ES256') return { postback, verification: { verified: false, reason: `unsupported_alg: ${String(header.alg)}` } };
  const data = Buffer.from(`${h}.${p}`, 'ascii');
  const sig = Buffer.from(s, 'base64url');
  const kid = typeof header.kid === 'string' ? header.kid : '';
  const production = APPLE_AAK_PRODUCTION_KEYS[kid];
  if (production && checks(data, derKey(production), sig, 'ieee-p1363'))
    return { postback, verification: { verified: true, signer: 'apple' } };
  const development = APPLE_AAK_DEVELOPMENT_KEYS[kid];
  if (development && checks(data, derKey(development), sig, 'ieee-p1363')) {
    return options.acceptDevelopmentKeys
      ? { postback, verification: { verified: true, signer: 'apple-development' } }
      : { postback, verification: { verified: false, reason: 'development_signature' } };
  }
  if ((options.testKeys ?? []).some((k) => checks(data, k, sig, 'ieee-p1363')))
    return { postback, verification: { verified: true, signer: 'test' } };
  return {
    postback,
    verification: { verified: false, reason: production || development ? 'bad_signature' : `unknown_kid: ${kid.slice(0, 60)}` },
  };
}

function decodeJsonPart(part: string, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new PostbackShapeError('jws-string', `The ${name} is not base64url JSON.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new PostbackShapeError('jws-string', `The ${name} must be a JSON object.`);
  return value as Record<string, unknown>;
}

function valueText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return null;
}

function checks(data: Buffer, key: KeyObject, sig: Buffer, dsaEncoding: 'der' | 'ieee-p1363'): boolean {
  try {
    return verify('sha256', data, { key, dsaEncoding }, sig);
  } catch {
    return false; // a malformed signature is a failed check, not an error
  }
}

function derKey(base64: string): KeyObject {
  return createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' });
}

/** A test key given as PEM or as base64 DER (SubjectPublicKeyInfo); throws when it is neither. */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN') ? createPublicKey(trimmed) : derKey(trimmed);
  if (key.asymmetricKeyType !== 'ec') throw new Error('the key is not an elliptic-curve public key');
  return key;
}
