import type { IdentityUpdate } from './event.ts';
import type { FieldReader, JsonObject } from './field-reader.ts';
import type { NormalizeContext } from './normalize-types.ts';

/** Suffix of the identity update split off an ordinary event carrying `$set`. */
export const SET_SUFFIX = ':set';

/** The parts of a PostHog event every mapping needs, read once. */
export interface PosthogCommon {
  props: JsonObject;
  event: string;
  eventId: string;
  distinctId: string;
  timestamp: number;
  set: JsonObject | undefined;
}

/**
 * PostHog's person events become identity updates: `$identify` (traits from `$set`),
 * `$create_alias`, `$set`, `$groupidentify`. `undefined` for every other event.
 */
export function posthogIdentity(r: FieldReader, c: PosthogCommon, ctx: NormalizeContext): IdentityUpdate | undefined {
  const p = c.props;
  let action: string;
  let deviceId = r.optionalId(p.$device_id, 'properties.$device_id');
  let previousId = '';
  let traits = c.set;
  switch (c.event) {
    case '$identify':
      action = 'identify';
      // $anon_distinct_id is the id the device used before it was identified.
      previousId = r.optionalId(p.$anon_distinct_id, 'properties.$anon_distinct_id');
      deviceId ||= previousId;
      break;
    case '$create_alias':
      action = 'alias';
      previousId = r.optionalId(p.alias, 'properties.alias');
      if (previousId === '') r.missing('properties.alias', '$create_alias names the alias to link to distinct_id');
      break;
    case '$set':
      action = 'set';
      break;
    case '$groupidentify': {
      action = 'group';
      previousId = r.optionalId(p.$group_key, 'properties.$group_key');
      if (previousId === '') r.missing('properties.$group_key', '$groupidentify names the group');
      const groupSet = r.optionalObject(p.$group_set, 'properties.$group_set');
      traits = typeof p.$group_type === 'string' ? { $group_type: p.$group_type, ...groupSet } : { ...groupSet };
      break;
    }
    default:
      return undefined;
  }
  deviceId ||= c.distinctId;
  const userId = action === 'identify' || action === 'alias' ? c.distinctId : identifiedUser(p, c.distinctId, deviceId);
  return identity(c, ctx, c.eventId, action, deviceId, userId, previousId, traits);
}

/** The person update split off an ordinary event carrying `$set`; its own id keeps both through dedupe. */
export function setUpdate(c: PosthogCommon, ctx: NormalizeContext, deviceId: string, userId: string): IdentityUpdate {
  return identity(c, ctx, c.eventId + SET_SUFFIX, 'set', deviceId, userId, '', c.set);
}

/**
 * distinct_id is the user once identified. SDKs that say so send `$is_identified`; otherwise a
 * distinct_id different from the device id is taken as a user id.
 */
export function identifiedUser(p: JsonObject, distinctId: string, deviceId: string): string {
  const flag = p.$is_identified;
  if (flag === true) return distinctId;
  if (flag === false) return '';
  return distinctId !== deviceId ? distinctId : '';
}

function identity(
  c: PosthogCommon,
  ctx: NormalizeContext,
  eventId: string,
  action: string,
  deviceId: string,
  userId: string,
  previousId: string,
  traits: JsonObject | undefined,
): IdentityUpdate {
  return {
    kind: 'identity',
    app_id: ctx.app_id,
    event_id: eventId,
    action,
    timestamp: c.timestamp,
    received_at: ctx.received_at,
    device_id: deviceId,
    user_id: userId,
    previous_id: previousId,
    traits: traits ?? {},
    source: 'posthog',
  };
}
