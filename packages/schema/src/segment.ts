import { runItems } from './batch-runner.ts';
import { assertBatchSize, bodyListMissing, bodyListWrongType, bodyNotObject } from './body-error.ts';
import { readBodyTimestamp } from './event-time.ts';
import { FieldReader, isObject } from './field-reader.ts';
import type { NormalizeContext, NormalizeResult } from './normalize-types.ts';
import { mapSegmentMessage, type SegmentBatchEnv, type SegmentType } from './segment-message.ts';

/** The Segment HTTP Tracking API route the body arrived on: `/v1/<route>`. */
export type SegmentRoute = 'batch' | SegmentType;

/**
 * Segment HTTP Tracking API. `/v1/batch` takes `{batch: [...], sentAt?, context?}` (what
 * `@segment/analytics-node` posts); the single-message routes take one message whose type the
 * route implies (index 0).
 */
export function normalizeSegment(body: unknown, ctx: NormalizeContext, route: SegmentRoute): NormalizeResult {
  if (!isObject(body)) throw bodyNotObject(body, route === 'batch' ? 'an object like {"batch": [...]}' : 'one Segment message object');
  const result: NormalizeResult = { items: [], rejected: [] };
  const env: SegmentBatchEnv = { reader: new FieldReader(), ctx, sentAt: ctx.sent_at, sharedContext: undefined, out: result.items };
  if (route !== 'batch') {
    runItems([body], (raw, index) => mapSegmentMessage(raw, index, route, env), result.rejected);
    return result;
  }
  const batch = body.batch;
  if (batch === undefined || batch === null) throw bodyListMissing('batch', '{"batch": [{"type": "track", ...}]}');
  if (!Array.isArray(batch)) throw bodyListWrongType('batch', batch);
  assertBatchSize(batch);
  env.sentAt = readBodyTimestamp(body.sentAt, 'sentAt') ?? ctx.sent_at;
  // Segment applies a batch-level context to every message; the message's own keys win.
  env.sharedContext = isObject(body.context) ? body.context : undefined;
  runItems(batch, (raw, index) => mapSegmentMessage(raw, index, undefined, env), result.rejected);
  return result;
}
