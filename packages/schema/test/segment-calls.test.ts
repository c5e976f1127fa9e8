import { describe, expect, it } from 'vitest';
import { normalizeSegment, type SegmentRoute } from '../src/index.ts';
import { bodyErrorOf, context, HOUR, iso, onlyEvent, onlyIdentity, onlyRejection, RECEIVED_AT } from './helpers.ts';
import { batch, message } from './segment-wire.ts';

describe('normalizeSegment: identify, alias, group', () => {
  it('identify → traits for the device and user', () => {
    const update = onlyIdentity(
      normalizeSegment(batch(message('identify', { userId: 'user-7', traits: { email: 'a@b.c', plan: 'pro' } })), context(), 'batch'),
    );
    expect(update).toEqual({
      kind: 'identity',
      app_id: 'app_1',
      event_id: 'msg-identify',
      action: 'identify',
      timestamp: RECEIVED_AT - 1_000,
      received_at: RECEIVED_AT,
      device_id: 'anon-1',
      user_id: 'user-7',
      previous_id: '',
      traits: { email: 'a@b.c', plan: 'pro' },
      source: 'segment',
    });
  });

  it('identify reads context.traits when the message has none (older mobile libraries)', () => {
    expect(
      onlyIdentity(normalizeSegment(batch(message('identify', { context: { traits: { name: 'Ann' } } })), context(), 'batch')).traits,
    ).toEqual({
      name: 'Ann',
    });
  });

  it('alias → previousId', () => {
    const update = onlyIdentity(
      normalizeSegment(batch(message('alias', { anonymousId: undefined, userId: 'user-7', previousId: 'anon-1' })), context(), 'batch'),
    );
    expect(update).toMatchObject({ action: 'alias', user_id: 'user-7', previous_id: 'anon-1', device_id: 'user-7', traits: {} });
  });

  it('group → groupId and traits', () => {
    const update = onlyIdentity(
      normalizeSegment(batch(message('group', { userId: 'user-7', groupId: 42, traits: { seats: 5 } })), context(), 'batch'),
    );
    expect(update).toMatchObject({ action: 'group', user_id: 'user-7', previous_id: '42', traits: { seats: 5 } });
  });

  it.each([
    ['alias without previousId', message('alias', { userId: 'u' }), 'previousId'],
    ['alias without userId', message('alias', { previousId: 'p' }), 'userId'],
    ['group without groupId', message('group', { userId: 'u' }), 'groupId'],
  ])('%s → missing_field', (_label, msg, field) => {
    expect(onlyRejection(normalizeSegment(batch(msg), context(), 'batch'))).toMatchObject({ code: 'missing_field', details: { field } });
  });
});

describe('normalizeSegment: identity of the device', () => {
  it.each([
    [{ anonymousId: 'anon', userId: 'user', context: { device: { id: 'dev' } } }, 'dev', 'user'],
    [{ anonymousId: 'anon', userId: 'user' }, 'anon', 'user'],
    [{ anonymousId: undefined, userId: 'user' }, 'user', 'user'],
    [{ anonymousId: 12345 }, '12345', ''],
  ])('%j → device %s, user %s', (ids, deviceId, userId) => {
    const event = onlyEvent(normalizeSegment(batch(message('track', { event: 'e', ...ids })), context(), 'batch'));
    expect([event.device_id, event.user_id]).toEqual([deviceId, userId]);
  });

  it('rejects a message with no way to tell the device', () => {
    expect(
      onlyRejection(normalizeSegment(batch(message('track', { event: 'e', anonymousId: undefined })), context(), 'batch')),
    ).toMatchObject({
      code: 'missing_field',
      details: { field: 'anonymousId' },
    });
  });
});

describe('normalizeSegment: timestamps', () => {
  it('corrects originalTimestamp with the batch sentAt', () => {
    const body = {
      batch: [message('track', { event: 'e', timestamp: undefined, originalTimestamp: iso(RECEIVED_AT + HOUR - 5_000) })],
      sentAt: iso(RECEIVED_AT + HOUR),
    };
    expect(onlyEvent(normalizeSegment(body, context(), 'batch')).timestamp).toBe(RECEIVED_AT - 5_000);
  });

  it('prefers originalTimestamp over timestamp, and the message sentAt over the batch one', () => {
    const msg = message('track', {
      event: 'e',
      originalTimestamp: iso(RECEIVED_AT - 10_000),
      timestamp: iso(RECEIVED_AT - 99_000),
      sentAt: iso(RECEIVED_AT - 4_000),
    });
    expect(onlyEvent(normalizeSegment({ batch: [msg], sentAt: iso(RECEIVED_AT + 7 * HOUR) }, context(), 'batch')).timestamp).toBe(
      RECEIVED_AT - 6_000,
    );
  });

  it('uses the receipt time when the message carries no time', () => {
    expect(onlyEvent(normalizeSegment(batch(message('track', { event: 'e', timestamp: undefined })), context(), 'batch')).timestamp).toBe(
      RECEIVED_AT,
    );
  });

  it.each([
    ['originalTimestamp', { originalTimestamp: 'soon' }, 'invalid_timestamp'],
    ['timestamp', { timestamp: iso(RECEIVED_AT + 3 * 24 * HOUR) }, 'timestamp_out_of_range'],
    ['sentAt', { sentAt: 12 }, 'invalid_type'],
  ])('rejects a bad %s', (field, overrides, code) => {
    expect(onlyRejection(normalizeSegment(batch(message('track', { event: 'e', ...overrides })), context(), 'batch'))).toMatchObject({
      code,
      details: { field },
    });
  });
});

describe('normalizeSegment: single-message routes', () => {
  it.each([
    ['track', { event: 'Played' }, 'event'],
    ['screen', { name: 'Home' }, 'event'],
    ['page', { name: 'Home' }, 'event'],
    ['identify', { userId: 'u' }, 'identity'],
    ['alias', { userId: 'u', previousId: 'p' }, 'identity'],
    ['group', { groupId: 'g' }, 'identity'],
  ] as const)('/v1/%s implies the type', (route, fields, kind) => {
    const result = normalizeSegment({ messageId: 'm1', anonymousId: 'a', ...fields }, context(), route as SegmentRoute);
    expect(result.rejected).toEqual([]);
    expect(result.items).toEqual([{ index: 0, item: expect.objectContaining({ kind, event_id: 'm1' }) }]);
  });

  it('reads sentAt from the message itself', () => {
    const body = {
      messageId: 'm1',
      anonymousId: 'a',
      event: 'e',
      timestamp: iso(RECEIVED_AT + HOUR),
      sentAt: iso(RECEIVED_AT + HOUR + 500),
    };
    expect(onlyEvent(normalizeSegment(body, context(), 'track')).timestamp).toBe(RECEIVED_AT - 500);
  });
});

describe('normalizeSegment: batches and bodies', () => {
  it('keeps valid messages with their indexes', () => {
    const result = normalizeSegment(
      batch(
        message('track', { messageId: 'a', event: 'e' }),
        message('track', { messageId: 'b' }),
        message('bogus', { messageId: 'c' }),
        message('identify', { messageId: 'd', userId: 'u' }),
        message('track', { messageId: undefined, event: 'e' }),
        message('screen', { messageId: 'f' }),
      ),
      context(),
      'batch',
    );
    expect(result.items.map((i) => [i.index, i.item.event_id, i.item.kind])).toEqual([
      [0, 'a', 'event'],
      [3, 'd', 'identity'],
      [5, 'f', 'event'],
    ]);
    expect(result.rejected.map((r) => [r.index, r.error.code, r.error.details?.field])).toEqual([
      [1, 'missing_field', 'event'],
      [2, 'unsupported_type', 'type'],
      [4, 'missing_field', 'messageId'],
    ]);
  });

  it('tells a direct HTTP caller how to fix a missing messageId', () => {
    expect(onlyRejection(normalizeSegment({ anonymousId: 'a', event: 'e' }, context(), 'track')).message).toMatch(/messageId.*unique id/);
  });

  it('accepts the type in any case', () => {
    expect(onlyEvent(normalizeSegment(batch(message('Track', { event: 'e' })), context(), 'batch')).name).toBe('e');
  });

  it('applies a batch-level context under each message context', () => {
    const body = {
      batch: [
        message('track', { event: 'e', context: { os: { name: 'Android', version: '14' } } }),
        message('track', { messageId: 'm2', event: 'e' }),
      ],
      context: { os: { name: 'iOS', version: '17' }, locale: 'fr-FR' },
    };
    const [first, second] = normalizeSegment(body, context(), 'batch').items.map((i) => i.item);
    expect(first).toMatchObject({ platform: 'android', os_version: '14', locale: 'fr-FR' });
    expect(second).toMatchObject({ platform: 'ios', os_version: '17', locale: 'fr-FR' });
  });

  it('accepts 1000 messages and refuses 1001', () => {
    const messages = Array.from({ length: 1000 }, (_, i) => message('track', { messageId: `m${i}`, event: 'e' }));
    expect(normalizeSegment({ batch: messages }, context(), 'batch').items).toHaveLength(1000);
    messages.push(message('track', { messageId: 'extra', event: 'e' }));
    expect(bodyErrorOf(() => normalizeSegment({ batch: messages }, context(), 'batch'))).toMatchObject({
      status: 400,
      code: 'batch_too_large',
    });
  });

  it.each([
    ['batch', 'not json object', 'invalid_body'],
    ['batch', {}, 'missing_field'],
    ['batch', { batch: 'x' }, 'invalid_type'],
    ['batch', { batch: [], sentAt: 'now' }, 'invalid_timestamp'],
    ['track', [1], 'invalid_body'],
  ] as const)('/v1/%s refuses body %j with %s', (route, body, code) => {
    expect(bodyErrorOf(() => normalizeSegment(body, context(), route))).toMatchObject({ status: 400, code });
  });
});

describe('Segment whole-request errors say what the route takes', () => {
  it.each([
    ['batch', 'an object like {"batch": [...]}'],
    ['track', 'one Segment message object'],
    ['identify', 'one Segment message object'],
  ] as const)('/v1/%s with a body that is an array', (route, expected) => {
    expect(bodyErrorOf(() => normalizeSegment([message('track')], context(), route))).toMatchObject({
      status: 400,
      code: 'invalid_body',
      message: `The request body must be ${expected}, not array. Send JSON with Content-Type: application/json.`,
      details: { expected, received: 'array' },
    });
  });

  it.each([[{}], [{ batch: null }]])('a batch body without its list shows the shape (%j)', (body) => {
    expect(bodyErrorOf(() => normalizeSegment(body, context(), 'batch'))).toMatchObject({
      code: 'missing_field',
      message: 'The request body needs a `batch` array, as in {"batch": [{"type": "track", ...}]}.',
      details: { field: 'batch' },
    });
  });

  it('a batch that is not a list names it', () => {
    expect(bodyErrorOf(() => normalizeSegment({ batch: message('track') }, context(), 'batch'))).toMatchObject({
      code: 'invalid_type',
      details: { field: 'batch', expected: 'array', received: 'object' },
    });
  });

  it('a bad batch sentAt names the field', () => {
    expect(bodyErrorOf(() => normalizeSegment({ batch: [message('track')], sentAt: 'soon' }, context(), 'batch'))).toMatchObject({
      code: 'invalid_timestamp',
      details: { field: 'sentAt' },
    });
  });

  it('without a batch sentAt, the request context send time corrects the clock', () => {
    const msg = message('track', { event: 'e', timestamp: iso(RECEIVED_AT + HOUR) });
    const event = onlyEvent(normalizeSegment(batch(msg), context({ sent_at: RECEIVED_AT + HOUR + 2_000 }), 'batch'));
    expect(event.timestamp).toBe(RECEIVED_AT - 2_000);
  });
});
