/**
 * Field checks shared by the links and partners repositories. Each returns the clean value or
 * null, and the caller throws its own input error naming the field, so the API can answer
 * `invalid_link` / `invalid_partner` with the field that is wrong.
 */

const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Trimmed text of `min`…`max` characters, without control characters or broken UTF-16. */
export function plainText(value: unknown, min: number, max: number): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text.length < min || text.length > max || CONTROL.test(text) || LONE_SURROGATE.test(text)) return null;
  return text;
}

/**
 * `organic` is what the installs route names unattributed installs: a link or partner with that
 * media source would be indistinguishable from them in every report.
 */
export const RESERVED_MEDIA_SOURCES: readonly string[] = ['organic'];
export const MAX_MEDIA_SOURCE = 100;

/**
 * Kept as written (trimmed), case included: it must equal the partner's media_source exactly for
 * the install to be posted back, and networks' own ids (e.g. `googleadwords_int`) are case-sensitive.
 */
export function mediaSource(value: unknown): string | null {
  const text = plainText(value, 1, MAX_MEDIA_SOURCE);
  if (text === null || RESERVED_MEDIA_SOURCES.includes(text.toLowerCase())) return null;
  return text;
}

export const MAX_URL = 2048;

/**
 * An absolute http(s) URL without user:password@ (phishing-shaped as a redirect target, and
 * fetch refuses to send one). Other schemes (market://, itms-apps://, intent://) are refused:
 * these URLs become 302 targets of public links, where a custom scheme behaves differently in
 * every in-app browser; https store URLs open the store app anyway.
 */
export function httpUrl(value: unknown, max: number = MAX_URL): URL | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || value.trim() !== value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username !== '' || url.password !== '') return null;
  return url;
}

const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** Text from outside (an error message, a response) made storable: at most `max` characters, no NUL, well-formed UTF-16. */
export function clipText(value: string, max: number): string {
  return value.slice(0, max).replaceAll('\u0000', '').replace(LONE_SURROGATES, '\uFFFD');
}
