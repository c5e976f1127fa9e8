import { isObject, type JsonObject } from './field-reader.ts';

/**
 * The app key a body carries, for callers that do not send it as a header: `writeKey`
 * (Segment), `api_key` (native, PostHog batch), `token` (PostHog single events; posthog-js puts
 * it in `properties.token`). For a list body (PostHog JS arrays, batches) the first item speaks
 * for the request. `null` when there is none.
 */
export function extractBodyKey(body: unknown): string | null {
  if (Array.isArray(body)) return isObject(body[0]) ? keyOf(body[0]) : null;
  if (!isObject(body)) return null;
  const own = keyOf(body);
  if (own !== null) return own;
  const list = Array.isArray(body.batch) ? body.batch : Array.isArray(body.data) ? body.data : undefined;
  const first = list === undefined ? (isObject(body.data) ? body.data : undefined) : list[0];
  return isObject(first) ? keyOf(first) : null;
}

function keyOf(o: JsonObject): string | null {
  const key = nonEmpty(o.api_key) ?? nonEmpty(o.writeKey) ?? nonEmpty(o.token);
  if (key !== null) return key;
  return isObject(o.properties) ? nonEmpty(o.properties.token) : null;
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
