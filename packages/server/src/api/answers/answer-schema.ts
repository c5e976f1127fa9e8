/**
 * How a route declares what it answers: the one convention, in one place.
 *
 * A route lists each success status it can answer in `schema.response`, with a JSON Schema of
 * the body (Fastify's own option, next to `params`, `querystring` and `body`):
 *
 *     schema: { params: appParams, response: { 200: answer({ app: APP }) } }
 *
 * - `answer(properties, optional)` is a closed object: every property is required unless named
 *   in `optional`, and a property not listed is an error. A field added to a handler but not to
 *   its schema therefore fails the tests (see below), and the dashboard's types cannot lag.
 * - `NO_CONTENT` for a 204; `textAnswer(type)` for a body that is not JSON (CSV, metrics).
 * - `named('Name', schema)` marks a shape used by several routes or read by the dashboard: the
 *   OpenAPI document lists it once under `components.schemas.Name`, and the generated dashboard
 *   types (`packages/dashboard/src/lib/api/openapi.d.ts`) call it `components['schemas']['Name']`.
 * - Error answers are not declared per route: every route may answer `ERROR_ANSWER`
 *   (docs/api.md §1), and the OpenAPI document says so for each operation.
 *
 * The schema never reshapes an answer: the listener serializes with `JSON.stringify`
 * (http/answer-serializer.ts), so a schema gap cannot silently drop a field. With
 * `VALIDATE_RESPONSES=true`, as every test platform runs, each JSON answer is checked against its
 * schema before it is sent and a mismatch is a 500 naming it. After changing an answer, run
 * `npm run api-types -w @unmogrowp/dashboard` to regenerate the dashboard's types (docs/api.md).
 */

export type JsonSchema = Record<string, unknown>;

const names = new WeakMap<object, string>();

/** Marks `schema` as the shared shape `name` (OpenAPI `components.schemas`); returns it unchanged. */
export function named<S extends JsonSchema>(name: string, schema: S): S {
  names.set(schema, name);
  return schema;
}

/** The component name of a schema marked with `named`, if it is one. */
export function nameOf(schema: object): string | undefined {
  return names.get(schema);
}

/** A closed object: all of `properties` required except those in `optional`; nothing else allowed. */
export function answer(properties: Record<string, JsonSchema>, optional: readonly string[] = []): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties).filter((key) => !optional.includes(key)),
    properties,
  };
}

/** An object whose keys are data (ids, reasons, days), each value of `values`' shape. */
export const mapOf = (values: JsonSchema): JsonSchema => ({ type: 'object', additionalProperties: values });
export const listOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
export const orNull = (schema: JsonSchema): JsonSchema =>
  typeof schema['type'] === 'string' && names.get(schema) === undefined
    ? { ...schema, type: [schema['type'], 'null'] }
    : { anyOf: [schema, { type: 'null' }] };
export const oneOf = (values: readonly string[]): JsonSchema => ({ type: 'string', enum: [...values] });

export const text: JsonSchema = { type: 'string' };
export const textOrNull: JsonSchema = { type: ['string', 'null'] };
export const count: JsonSchema = { type: 'integer', minimum: 0 };
export const countOrNull: JsonSchema = { type: ['integer', 'null'], minimum: 0 };
export const amount: JsonSchema = { type: 'number' };
export const ratio: JsonSchema = { type: ['number', 'null'], description: 'null when the denominator is 0' };
export const flag: JsonSchema = { type: 'boolean' };
/** ISO-8601 UTC with milliseconds, as every time in an answer (docs/api.md §4). */
export const instant: JsonSchema = { type: 'string', description: 'ISO-8601 UTC, e.g. 2026-06-01T00:00:00.000Z' };
export const instantOrNull: JsonSchema = { type: ['string', 'null'], description: 'ISO-8601 UTC, or null' };
export const day: JsonSchema = { type: 'string', description: 'a UTC calendar day, YYYY-MM-DD' };
/** Any JSON value (a stored template body, free-form details). */
export const anyJson: JsonSchema = {};
/** A free-form object (its keys are not fixed). */
export const freeObject: JsonSchema = { type: 'object' };

/** A 204: no body. */
export const NO_CONTENT: JsonSchema = { type: 'null', description: 'No content' };

/** A body that is not JSON: `{content: {type: {schema}}}` in Fastify's per-content-type form. */
export function textAnswer(contentType: string, description: string): JsonSchema {
  return { content: { [contentType]: { schema: { type: 'string', description } } } };
}

/** docs/api.md §1: every error of every listener. */
export const ERROR_ANSWER = named('Error', {
  type: 'object',
  additionalProperties: false,
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'stable, machine-readable' },
        message: { type: 'string', description: 'one sentence for a person' },
        details: { type: 'object', description: 'what a program needs to act on it (the field, the allowed values, …)' },
      },
    },
  },
});
