/**
 * Text that reaches the control store from requests (user agent, IP as a proxy reported it,
 * audit details) is attacker-chosen. PostgreSQL refuses NUL, and a lone UTF-16 surrogate would
 * come back from the database as U+FFFD — a different string than was hashed. So: no NUL, well
 * formed, bounded.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(value: string): string {
  return value.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD');
}

export function clipUntrusted(value: string | null | undefined, max = 512): string | null {
  // NUL out first so the bound counts kept characters; surrogates fixed last, a cut may split a pair.
  return value == null ? null : cleanText(value.replaceAll('\u0000', '').slice(0, max));
}
