import { runItems } from './batch-runner.ts';
import { assertBatchSize, BodyError, bodyListWrongType, bodyNotObject } from './body-error.ts';
import { readBodyTimestamp } from './event-time.ts';
import { FieldReader, isObject } from './field-reader.ts';
import type { NormalizeContext, NormalizeResult } from './normalize-types.ts';
import { mapPosthogEvent, type PosthogEnv } from './posthog-event.ts';

/**
 * PostHog capture API (`/batch/`, `/capture/`, `/e/`, `/i/v0/e/`), after the route has undone
 * gzip. Accepted shapes: `{api_key, batch: [...], sent_at?}` (posthog-node), an array of events
 * (posthog-js), one event object, or the legacy `{data: event | [...]}`.
 */
export function normalizePosthog(body: unknown, ctx: NormalizeContext): NormalizeResult {
  let list: readonly unknown[];
  let sentAt = ctx.sent_at;
  if (Array.isArray(body)) {
    list = body;
  } else if (!isObject(body)) {
    throw bodyNotObject(body, 'a PostHog batch {"api_key": ..., "batch": [...]}, an array of events or one event');
  } else if (body.batch !== undefined && body.batch !== null) {
    if (!Array.isArray(body.batch)) throw bodyListWrongType('batch', body.batch);
    list = body.batch;
    sentAt = readBodyTimestamp(body.sent_at, 'sent_at') ?? sentAt;
  } else if (body.data !== undefined && body.data !== null) {
    list = Array.isArray(body.data) ? body.data : [body.data];
  } else if (body.event !== undefined) {
    list = [body];
  } else {
    throw new BodyError(
      400,
      'missing_field',
      'The body holds no events: send {"api_key": ..., "batch": [...]}, an array of events, or one event with "event" and "distinct_id".',
      { field: 'batch' },
    );
  }
  assertBatchSize(list);
  const result: NormalizeResult = { items: [], rejected: [] };
  const env: PosthogEnv = { reader: new FieldReader(), ctx, sentAt, out: result.items };
  runItems(list, (raw, index) => mapPosthogEvent(raw, index, env), result.rejected);
  return result;
}
