import { plainText } from './text-fields.ts';

/**
 * What an app receives after the install (deferred) or with an open (direct): its own routing
 * data, not a URL we redirect to. `path` is where in the app to go: a relative in-app path
 * ("/products/42?ref=spring") or a custom-scheme URL ("myapp://products/42"); docs/deep-links.md.
 */
export interface DeepLink {
  value: string | null;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
  path: string | null;
}

export const DEEP_LINK_FIELDS = ['value', 'sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'path'] as const;
export const MAX_DEEP_LINK_VALUE = 500;
export const MAX_DEEP_LINK_PATH = 2048;

/** Schemes that run code or read local data where an app hands a URL to a web view or the OS. */
const REFUSED_SCHEMES = new Set(['http', 'https', 'javascript', 'data', 'file', 'vbscript', 'about', 'blob', 'content', 'intent']);
const SCHEME_URL = /^([a-z][a-z0-9+.-]{1,31}):\/\/?\S*$/i;

/** Thrown with the field (`deep_link.path`, …) and a sentence; the links repository turns it into its own error. */
export class DeepLinkInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** null/absent/{} clears the deep link; otherwise every field is checked, an absent one is null. */
export function normalizeDeepLink(input: unknown): DeepLink | null {
  if (input === null || input === undefined) return null;
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new DeepLinkInputError(
      'deep_link',
      'deep_link must be an object like {"value": "spring_sale", "path": "/offers/spring"}, or null.',
    );
  }
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(DEEP_LINK_FIELDS as readonly string[]).includes(key)) {
      throw new DeepLinkInputError(`deep_link.${key}`, `deep_link may only hold ${DEEP_LINK_FIELDS.join(', ')}.`);
    }
  }
  const out: DeepLink = { value: null, sub1: null, sub2: null, sub3: null, sub4: null, sub5: null, path: null };
  for (const key of DEEP_LINK_FIELDS) {
    if (key === 'path') continue;
    out[key] = optionalText(`deep_link.${key}`, record[key]);
  }
  out.path = deepLinkPath(record.path);
  return DEEP_LINK_FIELDS.every((k) => out[k] === null) ? null : out;
}

function optionalText(field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = plainText(value, 0, MAX_DEEP_LINK_VALUE);
  if (text === null) {
    throw new DeepLinkInputError(field, `${field} must be text of at most ${MAX_DEEP_LINK_VALUE} characters without control characters.`);
  }
  return text === '' ? null : text;
}

/**
 * A relative in-app path ("/…", not "//…", which a web view reads as another host) or a URL of
 * the app's own custom scheme. http(s) is refused: a web address is the link's destination, and
 * an app told to open it would leave itself; script and file schemes are refused outright.
 */
export function deepLinkPath(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const field = 'deep_link.path';
  if (typeof value !== 'string' || value.length > MAX_DEEP_LINK_PATH || value.trim() !== value || /[\p{Cc}\s]/u.test(value)) {
    throw new DeepLinkInputError(field, `${field} must be at most ${MAX_DEEP_LINK_PATH} characters without spaces or control characters.`);
  }
  if (value.startsWith('/')) {
    if (value.startsWith('//') || value.startsWith('/\\')) {
      throw new DeepLinkInputError(field, `${field} must be a path inside the app ("/offers/spring"), not "//host".`);
    }
    return value;
  }
  const scheme = SCHEME_URL.exec(value)?.[1]?.toLowerCase();
  if (!scheme || REFUSED_SCHEMES.has(scheme)) {
    throw new DeepLinkInputError(
      field,
      `${field} must be a path inside the app ("/offers/spring") or a URL of the app's own scheme ("myapp://offers/spring"); http(s), javascript:, data: and file: are refused.`,
    );
  }
  return value;
}
