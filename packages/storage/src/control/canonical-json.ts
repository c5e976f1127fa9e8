/**
 * One text per JSON value, so a hash over it does not depend on key order or on which
 * database driver parsed it: object keys sorted (by UTF-16 code units), no whitespace,
 * numbers and strings as JSON.stringify writes them. Only plain JSON values are accepted.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: numbers must be finite');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: ${typeof value} is not a plain JSON value`);
}

/**
 * Makes arbitrary details storable as jsonb and stable through a database round trip: JSON
 * semantics (Dates become ISO strings, undefined and functions drop out, NaN becomes null),
 * every string and key cleaned with `clean`.
 */
export function toPlainJson(value: unknown, clean: (text: string) => string): unknown {
  const plain = JSON.parse(JSON.stringify(value ?? null)) as unknown;
  return cleanDeep(plain, clean);
}

function cleanDeep(value: unknown, clean: (text: string) => string): unknown {
  if (typeof value === 'string') return clean(value);
  if (Array.isArray(value)) return value.map((v) => cleanDeep(v, clean));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k), cleanDeep(v, clean)]));
  }
  return value;
}
