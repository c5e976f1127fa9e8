import { itemNotObject } from './batch-runner.ts';
import type { ApiErrorBody } from './errors.ts';
import type { IdentityUpdate } from './event.ts';
import { correctedTime } from './event-time.ts';
import { type FieldReader, isObject, type JsonObject } from './field-reader.ts';
import { MAX_EVENT_ID_LENGTH } from './limits.ts';
import type { NormalizeContext, NormalizedItem } from './normalize-types.ts';
import { segmentEvent } from './segment-event.ts';

export type SegmentType = 'track' | 'screen' | 'page' | 'identify' | 'alias' | 'group';

/** What every message of one request shares. */
export interface SegmentBatchEnv {
  reader: FieldReader;
  ctx: NormalizeContext;
  /** batch `sentAt` (or the context's), for messages without their own */
  sentAt: number | undefined;
  sharedContext: JsonObject | undefined;
  out: NormalizedItem[];
}

/** The parts of a message every type needs, read once. */
export interface SegmentCommon {
  raw: JsonObject;
  eventId: string;
  userId: string;
  deviceId: string;
  context: JsonObject;
  timestamp: number;
}

const NO_FIELDS: JsonObject = Object.freeze({}) as JsonObject;

export function mapSegmentMessage(
  raw: unknown,
  index: number,
  impliedType: SegmentType | undefined,
  env: SegmentBatchEnv,
): ApiErrorBody | undefined {
  if (!isObject(raw)) return itemNotObject(raw);
  const r = env.reader;
  r.reset();
  const type = impliedType ?? readType(r, raw.type);
  const eventId = r.requiredString(
    raw.messageId,
    'messageId',
    'it makes retries idempotent; Segment libraries send one, direct HTTP calls must add a unique id (a UUID) per message',
    MAX_EVENT_ID_LENGTH,
  );
  const userId = r.optionalId(raw.userId, 'userId');
  const anonymousId = r.optionalId(raw.anonymousId, 'anonymousId');
  const context = readContext(r, raw.context, env.sharedContext);
  const device = r.optionalObject(context.device, 'context.device') ?? NO_FIELDS;
  const deviceId = r.optionalId(device.id, 'context.device.id') || anonymousId || userId;
  if (deviceId === '' && r.error === undefined) r.missing('anonymousId', 'send anonymousId (or userId) so the event belongs to a device');
  const timestamp = readTime(r, raw, env);
  if (r.error !== undefined || type === '') return r.error;

  const common: SegmentCommon = { raw, eventId, userId, deviceId, context, timestamp };
  const item =
    type === 'identify' || type === 'alias' || type === 'group'
      ? identityUpdate(r, type, common, env.ctx)
      : segmentEvent(r, type, common, device, env.ctx);
  if (r.error !== undefined) return r.error;
  env.out.push({ index, item: item! });
  return undefined;
}

function readType(r: FieldReader, value: unknown): SegmentType | '' {
  const raw = r.requiredString(value, 'type', 'one of "track", "screen", "page", "identify", "alias" or "group"');
  if (raw === '') return '';
  const type = raw.toLowerCase();
  if (type === 'track' || type === 'screen' || type === 'page' || type === 'identify' || type === 'alias' || type === 'group') return type;
  r.fail(
    'unsupported_type',
    `Segment message type "${raw.slice(0, 40)}" is not supported; use track, screen, page, identify, alias or group.`,
    {
      field: 'type',
      allowed: ['track', 'screen', 'page', 'identify', 'alias', 'group'],
    },
  );
  return '';
}

function readContext(r: FieldReader, value: unknown, shared: JsonObject | undefined): JsonObject {
  const own = r.optionalObject(value, 'context');
  if (shared === undefined) return own ?? NO_FIELDS;
  return own === undefined ? shared : { ...shared, ...own };
}

/**
 * Device time is `originalTimestamp`, else `timestamp`; it is skew-corrected with the message's
 * `sentAt`, else the batch's. A message with no time at all happened when it was received
 * (as Segment does).
 */
function readTime(r: FieldReader, raw: JsonObject, env: SegmentBatchEnv): number {
  const original = r.optionalTimestamp(raw.originalTimestamp, 'originalTimestamp');
  const stamped = original === undefined ? r.optionalTimestamp(raw.timestamp, 'timestamp') : undefined;
  const sentAt = r.optionalTimestamp(raw.sentAt, 'sentAt') ?? env.sentAt;
  const deviceTs = original ?? stamped;
  if (deviceTs === undefined || r.error !== undefined) return env.ctx.received_at;
  return correctedTime(r, deviceTs, sentAt, env.ctx.received_at, original === undefined ? 'timestamp' : 'originalTimestamp');
}

function identityUpdate(r: FieldReader, action: 'identify' | 'alias' | 'group', c: SegmentCommon, ctx: NormalizeContext): IdentityUpdate {
  let previousId = '';
  let traits: JsonObject | undefined;
  if (action === 'alias') {
    previousId = r.optionalId(c.raw.previousId, 'previousId');
    if (previousId === '') r.missing('previousId', 'alias links previousId to userId');
    if (c.userId === '') r.missing('userId', 'alias links previousId to userId');
  } else {
    if (action === 'group') {
      previousId = r.optionalId(c.raw.groupId, 'groupId');
      if (previousId === '') r.missing('groupId', 'group calls name the group the user joins');
    }
    traits =
      r.optionalObject(c.raw.traits, 'traits') ??
      (action === 'identify' ? r.optionalObject(c.context.traits, 'context.traits') : undefined);
  }
  return {
    kind: 'identity',
    app_id: ctx.app_id,
    event_id: c.eventId,
    action,
    timestamp: c.timestamp,
    received_at: ctx.received_at,
    device_id: c.deviceId,
    user_id: c.userId,
    previous_id: previousId,
    traits: traits ?? {},
    source: 'segment',
  };
}
