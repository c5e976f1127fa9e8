import { StandInError } from './stand-in-error.ts';

/**
 * Turns `param_<name>` values as a ClickHouse client sends them over HTTP into the values
 * chDB's binder takes, so the engine binds exactly what a server would.
 *
 * Over HTTP a value is text the server reads with TSV rules for its declared type: a String
 * arrives escaped (`a\'b`), an array as a literal (`['a\'b','c']`). chDB's binder takes JS
 * values and writes that text itself: a JS string is TSV-escaped, an array becomes a literal.
 * So a value that TSV escaping leaves alone passes through as it is; a scalar with escapes is
 * unescaped once (chDB escapes it again); a composite with escapes is parsed into JS arrays
 * and maps (chDB writes the literal again).
 */
export function toBindValues(sql: string, raw: Readonly<Record<string, string>>): Record<string, unknown> {
  const types = placeholderTypes(sql);
  const bound: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(raw)) {
    const type = types.get(name);
    // A parameter the statement never names is ignored, as by a server.
    if (type === undefined) continue;
    bound[name] = toBindValue(name, text, type);
  }
  return bound;
}

/** `{name:Type}` placeholders of a statement; types may nest parentheses but never braces. */
export function placeholderTypes(sql: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const m of sql.matchAll(/\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^{}]+?)\s*\}/g)) {
    types.set(m[1] as string, m[2] as string);
  }
  return types;
}

const TSV_SPECIAL = /[\\\0\b\f\n\r\t]/;

function toBindValue(name: string, text: string, type: string): unknown {
  const base = unwrap(type);
  const nullable = /^\s*(LowCardinality\s*\(\s*)?Nullable\s*\(/i.test(type);
  if (nullable && text === '\\N') return null;
  if (!TSV_SPECIAL.test(text)) return text;
  if (!/^(Array|Map|Tuple|Nested)\s*\(/i.test(base)) return tsvUnescape(text);
  try {
    const parser = new LiteralParser(text);
    const value = parser.value();
    parser.end();
    return value;
  } catch (err) {
    throw new StandInError(
      457,
      'BAD_QUERY_PARAMETER',
      `Value ${JSON.stringify(text.slice(0, 100))} cannot be parsed as ${type} for query parameter '${name}': ${(err as Error).message}`,
    );
  }
}

/** The type under `Nullable(…)` and `LowCardinality(…)`. */
function unwrap(type: string): string {
  let t = type.trim();
  for (;;) {
    const m = /^(Nullable|LowCardinality)\s*\((.*)\)$/is.exec(t);
    if (!m) return t;
    t = (m[2] as string).trim();
  }
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '0': '\0', a: '\x07', v: '\v', e: '\x1b' };

/** ClickHouse's escaped-string rules: `\n`-style escapes, `\xHH`, and `\c` for any other c. */
export function tsvUnescape(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c !== '\\' || i === text.length - 1) {
      out += c;
      continue;
    }
    const next = text[++i] as string;
    if (next === 'x' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out += String.fromCharCode(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out += ESCAPES[next] ?? next;
    }
  }
  return out;
}

/** Array, map and scalar literals as a client writes them inside a composite parameter. */
class LiteralParser {
  #i = 0;
  constructor(private readonly text: string) {}

  value(): unknown {
    this.#space();
    const c = this.text[this.#i];
    if (c === '[') return this.#list('[', ']');
    if (c === '{') return this.#map();
    if (c === '(') throw new Error('tuples are not supported by the stand-in');
    if (c === "'") return this.#string();
    return this.#bare();
  }

  end(): void {
    this.#space();
    if (this.#i !== this.text.length) throw new Error(`unexpected ${JSON.stringify(this.text.slice(this.#i, this.#i + 10))}`);
  }

  #list(open: string, close: string): unknown[] {
    this.#expect(open);
    const items: unknown[] = [];
    this.#space();
    if (this.text[this.#i] === close) {
      this.#i++;
      return items;
    }
    for (;;) {
      items.push(this.value());
      this.#space();
      const c = this.text[this.#i++];
      if (c === close) return items;
      if (c !== ',') throw new Error(`expected , or ${close}`);
    }
  }

  #map(): Map<unknown, unknown> {
    this.#expect('{');
    const map = new Map<unknown, unknown>();
    this.#space();
    if (this.text[this.#i] === '}') {
      this.#i++;
      return map;
    }
    for (;;) {
      const key = this.value();
      this.#space();
      this.#expect(':');
      map.set(key, this.value());
      this.#space();
      const c = this.text[this.#i++];
      if (c === '}') return map;
      if (c !== ',') throw new Error('expected , or }');
    }
  }

  #string(): string {
    this.#expect("'");
    let raw = '';
    while (this.#i < this.text.length) {
      const c = this.text[this.#i++] as string;
      if (c === '\\') {
        raw += c + (this.text[this.#i++] ?? '');
      } else if (c === "'") {
        if (this.text[this.#i] !== "'") return tsvUnescape(raw);
        raw += "\\'";
        this.#i++;
      } else {
        raw += c;
      }
    }
    throw new Error('unterminated string');
  }

  /** NULL, true/false, or a number: integers beyond 2^53 stay exact as bigint. */
  #bare(): unknown {
    const m = /^[^,\]}:\s]+/.exec(this.text.slice(this.#i));
    if (!m) throw new Error('expected a value');
    const token = m[0];
    this.#i += token.length;
    const lower = token.toLowerCase();
    if (lower === 'null') return null;
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (/^[-+]?\d+$/.test(token)) {
      const n = Number(token);
      return Number.isSafeInteger(n) ? n : BigInt(token);
    }
    const n = Number(token);
    if (!Number.isFinite(n)) throw new Error(`cannot bind ${token}`);
    return n;
  }

  #expect(c: string): void {
    if (this.text[this.#i] !== c) throw new Error(`expected ${c}`);
    this.#i++;
  }

  #space(): void {
    while (/\s/.test(this.text[this.#i] ?? '')) this.#i++;
  }
}
