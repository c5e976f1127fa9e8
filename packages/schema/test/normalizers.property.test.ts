import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  extractBodyKey,
  isBodyError,
  type NormalizeResult,
  normalizeAdvertisingId,
  normalizeNative,
  normalizeNativeBatch,
  normalizePosthog,
  normalizeSegment,
  parseIsoTimestamp,
  platformFromUserAgent,
} from '../src/index.ts';
import { context, iso, RECEIVED_AT } from './helpers.ts';

/**
 * Property-based: every wire-format normalizer, fed anything JSON can carry, either answers
 * items + per-item rejections or throws the one "bad body" error (a 400) — never anything
 * else, which the server would turn into a 500. And a valid item keeps being accepted
 * whatever junk sits beside it in the batch. Runs are bounded (seeded by fast-check, printed on
 * failure) so CI stays fast.
 */
const RUNS = 300;

/** Values of every JSON shape, with the edge cases of our fields mixed in. */
const nasty = fc.oneof(
  fc.constantFrom('', ' ', '0', '\u0000', '\ud800', 'null', '1e309', 'NaN', '-1', '2025-13-45T99:99:99Z', 'x'.repeat(70), '🎉'),
  fc.constantFrom(0, -1, Number.POSITIVE_INFINITY, Number.NaN, Number.MAX_SAFE_INTEGER + 2, 1.5, -0),
  fc.constantFrom(null, true, false, [], {}),
);
const anyJson = fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 4 }), nasty, fc.anything({ maxDepth: 3 }));

/** Objects that look like an event: the right keys, any values. */
const eventLike = fc.record(
  {
    event_id: fc.oneof(fc.string(), nasty),
    messageId: fc.oneof(fc.string(), nasty),
    uuid: fc.oneof(fc.uuid(), nasty),
    type: fc.oneof(fc.constantFrom('install', 'open', 'event', 'track', 'identify', 'screen', 'page', 'alias', 'group'), nasty),
    event: fc.oneof(fc.string(), nasty),
    name: fc.oneof(fc.string(), nasty),
    timestamp: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      nasty,
    ),
    sent_at: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      nasty,
    ),
    distinct_id: fc.oneof(fc.string(), nasty),
    anonymousId: fc.oneof(fc.string(), nasty),
    device: fc.oneof(
      fc.record({ id: anyJson, platform: anyJson, advertising_id: anyJson, os_version: anyJson }, { requiredKeys: [] }),
      nasty,
    ),
    context: fc.oneof(fc.dictionary(fc.string(), anyJson, { maxKeys: 4 }), nasty),
    properties: fc.oneof(fc.dictionary(fc.string(), anyJson, { maxKeys: 4 }), nasty),
    revenue: anyJson,
    currency: anyJson,
    install_referrer: anyJson,
    ip: anyJson,
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  anyJson,
  eventLike,
  fc.record({ events: fc.array(fc.oneof(eventLike, anyJson), { maxLength: 6 }) }),
  fc.record({ batch: fc.array(fc.oneof(eventLike, anyJson), { maxLength: 6 }) }),
);

const normalizers: [string, (b: unknown) => NormalizeResult][] = [
  ['native', (b) => normalizeNative(b, context())],
  ['native batch', (b) => normalizeNativeBatch(b, context())],
  ['posthog', (b) => normalizePosthog(b, context())],
  ...(['batch', 'track', 'screen', 'page', 'identify', 'alias', 'group'] as const).map(
    (route) =>
      [`segment ${route}`, (b: unknown) => normalizeSegment(b, context({ trusted: true }), route)] as [
        string,
        (b: unknown) => NormalizeResult,
      ],
  ),
];

function outcome(normalize: (b: unknown) => NormalizeResult, b: unknown): NormalizeResult | 'body_error' {
  try {
    return normalize(b);
  } catch (err) {
    if (isBodyError(err)) return 'body_error';
    throw err;
  }
}

describe('wire-format normalizers never throw on bad input', () => {
  for (const [name, normalize] of normalizers) {
    it(`${name}: items or per-item rejections, or a body error — nothing else`, () => {
      fc.assert(
        fc.property(body, (b) => {
          const result = outcome(normalize, b);
          if (result === 'body_error') return;
          for (const { item } of result.items) {
            expect(typeof item.event_id).toBe('string');
            expect(item.event_id.length).toBeGreaterThan(0);
            expect(item.event_id.length).toBeLessThanOrEqual(64);
            expect(Number.isFinite(item.received_at)).toBe(true);
            if (item.kind === 'event') expect(Number.isFinite(item.timestamp)).toBe(true);
          }
          for (const r of result.rejected) expect(typeof r.error.code).toBe('string');
          // JSON round trip: everything accepted can go into the log.
          expect(() => JSON.stringify(result.items)).not.toThrow();
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('small helpers take any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), (s) => {
        expect(typeof normalizeAdvertisingId(s)).toBe('string');
        const p = platformFromUserAgent(s);
        expect(p === undefined || ['ios', 'android', 'web'].includes(p)).toBe(true);
        try {
          expect(Number.isFinite(parseIsoTimestamp(s))).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
        }
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(anyJson, (b) => {
        const key = extractBodyKey(b);
        expect(key === null || typeof key === 'string').toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

const validNative = fc.record({
  event_id: fc.stringMatching(/^[a-z0-9-]{1,40}$/),
  type: fc.constantFrom('install', 'open', 'event'),
  name: fc.constant('purchase'),
  timestamp: fc.integer({ min: RECEIVED_AT - 86_400_000, max: RECEIVED_AT }).map(iso),
  device: fc.record({ id: fc.stringMatching(/^[a-z0-9]{1,20}$/), platform: fc.constantFrom('ios', 'android', 'web') }),
});

describe('valid items beside invalid ones are still accepted', () => {
  const cases: [string, (events: unknown[]) => NormalizeResult, (e: Record<string, unknown>) => unknown][] = [
    ['native batch', (events) => normalizeNativeBatch({ events }, context()), (e) => e],
    [
      'segment batch',
      (batch) => normalizeSegment({ batch }, context(), 'batch'),
      (e) => ({
        type: 'track',
        event: 'Order Completed',
        messageId: e.event_id,
        anonymousId: (e.device as { id: string }).id,
        timestamp: e.timestamp,
      }),
    ],
    [
      'posthog batch',
      (batch) => normalizePosthog({ batch }, context()),
      (e) => ({ event: 'purchase', uuid: e.event_id, distinct_id: (e.device as { id: string }).id, timestamp: e.timestamp }),
    ],
  ];
  for (const [name, normalize, toWire] of cases) {
    it(name, () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.oneof(
              validNative.map((e) => ({ valid: true, wire: toWire(e) })),
              fc.oneof(anyJson, eventLike).map((wire) => ({ valid: false, wire })),
            ),
            {
              minLength: 1,
              maxLength: 12,
            },
          ),
          (mixed) => {
            const result = normalize(mixed.map((m) => m.wire));
            const accepted = new Set(result.items.map((i) => i.index));
            const rejected = new Set(result.rejected.map((r) => r.index));
            mixed.forEach((m, i) => {
              if (m.valid) expect(accepted.has(i), `valid item ${i} accepted`).toBe(true);
              // Every index is answered: accepted or rejected, never dropped silently.
              expect(accepted.has(i) || rejected.has(i), `item ${i} answered`).toBe(true);
            });
          },
        ),
        { numRuns: RUNS },
      );
    });
  }
});
