import { nameOf } from '../answers/answer-schema.ts';

type Json = Record<string, unknown>;

/**
 * Collects the shapes marked with `named` (api/answers/answer-schema.ts) while schemas are copied
 * into the OpenAPI document: each becomes `components.schemas.<name>` once, and every place that
 * uses it a `$ref` to it, so generated clients get one type per shape instead of a copy per route.
 */
export class SchemaComponents {
  readonly schemas: Record<string, Json> = {};
  private readonly seen = new Map<string, object>();

  /** A copy of `value` with every named schema in it replaced by its `$ref`. */
  refs(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.refs(item));
    if (value === null || typeof value !== 'object') return value;
    const name = nameOf(value);
    if (name === undefined) return this.copy(value);
    const known = this.seen.get(name);
    if (known !== undefined && known !== value) throw new Error(`Two different answer schemas are both named ${name}; rename one.`);
    if (known === undefined) {
      this.seen.set(name, value);
      this.schemas[name] = this.copy(value);
    }
    return { $ref: `#/components/schemas/${name}` };
  }

  private copy(value: object): Json {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.refs(item)]));
  }
}
