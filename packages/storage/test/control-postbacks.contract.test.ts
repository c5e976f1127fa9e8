import { POSTBACK_MAX_ATTEMPTS, RETRY_BASE_DELAYS_MS } from '@unmogrowp/attribution';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelPendingPostbacks,
  claimDue,
  createApp,
  enqueuePostbacks,
  getPostback,
  listPostbacks,
  type NewPostback,
  type Postback,
  recordAttempt,
} from '../src/index.ts';
import { type ControlTarget, forEachControlAdapter, type OpenControlTarget } from './support/control-targets.ts';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const LEASE = 60_000;
/** random() = 0.5 means no jitter: the delay is exactly the base delay. */
const NO_JITTER = () => 0.5;

function postback(appId: string, over: Partial<NewPostback> = {}): NewPostback {
  return {
    app_id: appId,
    media_source: 'network_a',
    install_id: 'ins_1',
    event_id: '',
    event_name: 'install',
    method: 'GET',
    url: 'https://n.example/cb?c=abc',
    body: null,
    ...over,
  };
}

function postbacksContract(name: string, open: OpenControlTarget): void {
  describe(`postback outbox contract: ${name}`, () => {
    let t: ControlTarget;
    let appSeq = 0;
    const newApp = async () => (await createApp(t.db, { name: `Outbox ${++appSeq}`, platforms: ['android'] })).app.id;
    /** Each test works far before the previous ones, so what they left pending is never due in it. */
    let clock = T0;
    const era = () => {
      clock -= 3_000 * 86_400_000;
      return clock;
    };
    const claimAll = (now: number) => claimDue(t.db, { limit: 1000, now, leaseMs: LEASE });

    beforeAll(async () => {
      t = await open();
    });
    afterAll(async () => {
      await t?.close();
    });

    it('enqueues each (app, media source, event, install, event id) once, also when two writers race', async () => {
      const appId = await newApp();
      const now = era();
      const batch = [
        postback(appId),
        postback(appId, { event_id: 'ev_1', event_name: 'purchase' }),
        postback(appId, { event_id: 'ev_2', event_name: 'purchase' }),
        postback(appId, { media_source: 'network_b' }),
      ];
      expect(await enqueuePostbacks(t.db, batch, now)).toBe(4);
      expect(await enqueuePostbacks(t.db, batch, now + 1)).toBe(0);
      expect(await enqueuePostbacks(t.db, [postback(appId, { install_id: 'ins_2' })], now)).toBe(1);
      const raced = [postback(appId, { install_id: 'ins_3' }), postback(appId, { install_id: 'ins_4' })];
      const counts = await Promise.all([enqueuePostbacks(t.db, raced, now), enqueuePostbacks(t.second, raced, now)]);
      expect(counts[0]! + counts[1]!).toBe(2);
      expect(await enqueuePostbacks(t.db, [], now)).toBe(0);
      const log = await listPostbacks(t.db, appId);
      expect(log).toHaveLength(7);
      expect(log.every((p) => p.status === 'pending' && p.attempts === 0 && p.next_attempt_at === now)).toBe(true);
    });

    it('claims only due postbacks, up to the limit, and leases them', async () => {
      const appId = await newApp();
      const now = era();
      await enqueuePostbacks(
        t.db,
        [1, 2, 3].map((i) => postback(appId, { install_id: `due_${i}` })),
        now,
      );
      await enqueuePostbacks(t.db, [postback(appId, { install_id: 'later' })], now + 10_000);
      expect(await claimAll(now - 1)).toEqual([]);
      const two = await claimDue(t.db, { limit: 2, now, leaseMs: LEASE });
      expect(two.map((p) => p.install_id)).toHaveLength(2);
      expect(two.every((p) => p.next_attempt_at === now + LEASE)).toBe(true);
      const rest = await claimAll(now);
      expect(rest.map((p) => p.install_id)).toHaveLength(1);
      expect(new Set([...two, ...rest].map((p) => p.install_id))).toEqual(new Set(['due_1', 'due_2', 'due_3']));
      expect(await claimAll(now + 9_999)).toEqual([]);
      expect((await claimAll(now + 10_000)).map((p) => p.install_id)).toEqual(['later']);
      // An attempt nobody recorded (the worker died): back after the lease.
      expect(await claimAll(now + LEASE - 1)).toEqual([]);
      expect((await claimAll(now + LEASE)).map((p) => p.install_id).sort()).toEqual(['due_1', 'due_2', 'due_3']);
    });

    it('never hands one postback to two claimers at once', async () => {
      const appId = await newApp();
      const now = era();
      const items = Array.from({ length: 40 }, (_, i) => postback(appId, { install_id: `race_${i}` }));
      await enqueuePostbacks(t.db, items, now);
      const claimers = [t.db, t.second, t.db, t.second].map((db) => claimDue(db, { limit: 15, now, leaseMs: LEASE }));
      const claimed = (await Promise.all(claimers)).flat().map((p) => p.install_id);
      expect(claimed).toHaveLength(40);
      expect(new Set(claimed).size).toBe(40);
    });

    it('records a delivery: delivered, with its attempt in the log', async () => {
      const appId = await newApp();
      const now = era();
      await enqueuePostbacks(t.db, [postback(appId)], now);
      const [claimed] = await claimAll(now);
      const recorded = await recordAttempt(t.db, { postback: claimed!, result: 204, at: now + 150, duration_ms: 42.4, random: NO_JITTER });
      expect(recorded).toEqual({ attempt: 1, outcome: 'delivered', next_attempt_at: null });
      const stored = await getPostback(t.db, claimed!.id);
      expect(stored).toMatchObject({ status: 'delivered', attempts: 1, last_status_code: 204, last_error: null, delivered_at: now + 150 });
      expect(stored?.attempts_log).toEqual([{ attempt: 1, at: now + 150, status_code: 204, error: null, duration_ms: 42 }]);
      expect(await claimAll(now + 1_000 * 86_400_000 - 1)).toEqual([]);
    });

    it('retries 5xx, 429, timeouts and network errors on the schedule, and gives up after the last attempt', async () => {
      const appId = await newApp();
      const now = era();
      await enqueuePostbacks(t.db, [postback(appId)], now);
      const results = [503, 429, 'timeout', 'network', 500, 502, 'timeout', 504, 599] as const;
      let at = now;
      let current: Postback = (await claimAll(at))[0]!;
      for (const [i, result] of results.entries()) {
        const recorded = await recordAttempt(t.db, {
          postback: current,
          result,
          detail: 'connect ECONNREFUSED',
          at,
          duration_ms: 1,
          random: NO_JITTER,
        });
        expect(recorded).toEqual({ attempt: i + 1, outcome: 'retry', next_attempt_at: at + RETRY_BASE_DELAYS_MS[i]! });
        at = recorded!.next_attempt_at!;
        expect(await claimAll(at - 1)).toEqual([]);
        current = (await claimAll(at))[0]!;
        expect(current.attempts).toBe(i + 1);
      }
      const last = await recordAttempt(t.db, { postback: current, result: 503, at, duration_ms: 1, random: NO_JITTER });
      expect(last).toEqual({ attempt: POSTBACK_MAX_ATTEMPTS, outcome: 'failed', next_attempt_at: null });
      const stored = await getPostback(t.db, current.id);
      expect(stored).toMatchObject({ status: 'failed', attempts: POSTBACK_MAX_ATTEMPTS, last_status_code: 503 });
      expect(stored?.attempts_log.map((a) => a.status_code ?? a.error)).toEqual([
        503,
        429,
        'timeout: connect ECONNREFUSED',
        'network: connect ECONNREFUSED',
        500,
        502,
        'timeout: connect ECONNREFUSED',
        504,
        599,
        503,
      ]);
      expect(await claimAll(at + 100 * 86_400_000)).toEqual([]);
    });

    it('does not retry other 4xx or a redirect', async () => {
      const appId = await newApp();
      const now = era();
      await enqueuePostbacks(
        t.db,
        [400, 404, 302].map((_, i) => postback(appId, { install_id: `final_${i}` })),
        now,
      );
      const claimed = await claimAll(now);
      for (const [i, status] of [400, 404, 302].entries()) {
        const recorded = await recordAttempt(t.db, { postback: claimed[i]!, result: status, at: now, duration_ms: 3, random: NO_JITTER });
        expect(recorded).toEqual({ attempt: 1, outcome: 'failed', next_attempt_at: null });
      }
      expect((await listPostbacks(t.db, appId, { status: 'failed' })).map((p) => p.last_status_code).sort()).toEqual([302, 400, 404]);
      expect(await claimAll(now + LEASE * 1000)).toEqual([]);
    });

    it('drops a late result of an attempt another worker already recorded', async () => {
      const appId = await newApp();
      const now = era();
      await enqueuePostbacks(t.db, [postback(appId)], now);
      const [slow] = await claimAll(now);
      const [fast] = await claimAll(now + LEASE);
      // The fast worker's attempt failed and is waiting for its retry: still pending.
      expect(
        await recordAttempt(t.db, { postback: fast!, result: 503, at: now + LEASE + 5, duration_ms: 5, random: NO_JITTER }),
      ).not.toBeNull();
      expect(
        await recordAttempt(t.db, { postback: slow!, result: 200, at: now + LEASE + 9, duration_ms: 9, random: NO_JITTER }),
      ).toBeNull();
      const stored = await getPostback(t.db, slow!.id);
      expect(stored).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 503, delivered_at: null });
      expect(stored?.attempts_log.map((a) => a.status_code)).toEqual([503]);
      // Once delivered, no late result changes it either.
      const [again] = await claimAll(now + LEASE + 5 + RETRY_BASE_DELAYS_MS[0]!);
      await recordAttempt(t.db, { postback: again!, result: 200, at: now + 2 * LEASE, duration_ms: 1, random: NO_JITTER });
      expect(
        await recordAttempt(t.db, { postback: again!, result: 500, at: now + 2 * LEASE + 1, duration_ms: 1, random: NO_JITTER }),
      ).toBeNull();
      expect(await getPostback(t.db, slow!.id)).toMatchObject({ status: 'delivered', attempts: 2, last_status_code: 200 });
    });

    it('lists the delivery log newest first, by status, within one app, and keeps POST bodies as JSON', async () => {
      const appId = await newApp();
      const otherApp = await newApp();
      const now = era();
      const body = { event_name: 'achat réussi ✓', revenue: 9.99, ctit: null, timestamp: 1_700_000_000 };
      for (let i = 0; i < 4; i++) {
        await enqueuePostbacks(
          t.db,
          [postback(appId, { install_id: `log_${i}`, method: i === 3 ? 'POST' : 'GET', body: i === 3 ? body : null })],
          now + i,
        );
      }
      await enqueuePostbacks(t.db, [postback(otherApp)], now + 100);
      const [first] = await claimDue(t.db, { limit: 1, now: now + 10, leaseMs: LEASE });
      await recordAttempt(t.db, { postback: first!, result: 200, at: now + 20, duration_ms: 1, random: NO_JITTER });
      const all = await listPostbacks(t.db, appId);
      expect(all.map((p) => p.install_id)).toEqual(['log_3', 'log_2', 'log_1', 'log_0']);
      expect(all[0]).toMatchObject({ method: 'POST', body });
      expect(all[1]?.body).toBeNull();
      expect((await listPostbacks(t.db, appId, { status: 'delivered' })).map((p) => p.install_id)).toEqual(['log_0']);
      expect((await listPostbacks(t.db, appId, { status: 'pending', limit: 2 })).map((p) => p.install_id)).toEqual(['log_3', 'log_2']);
      expect((await listPostbacks(t.db, otherApp)).map((p) => p.install_id)).toEqual(['ins_1']);
    });

    it('cancels what is pending for one media source only', async () => {
      const appId = await newApp();
      const now = era();
      await enqueuePostbacks(
        t.db,
        [postback(appId), postback(appId, { install_id: 'x2' }), postback(appId, { media_source: 'keep' })],
        now,
      );
      expect(await cancelPendingPostbacks(t.db, appId, 'network_a', 'partner disabled')).toBe(2);
      expect((await claimAll(now)).map((p) => p.media_source)).toEqual(['keep']);
      const failed = await listPostbacks(t.db, appId, { status: 'failed' });
      expect(failed.map((p) => p.last_error)).toEqual(['cancelled: partner disabled', 'cancelled: partner disabled']);
    });

    // Last: it replaces the connections.
    it('keeps pending postbacks across a reopen', async () => {
      const appId = await newApp();
      const now = era();
      await enqueuePostbacks(t.db, [postback(appId, { install_id: 'durable' })], now);
      await t.reopen();
      expect((await claimAll(now)).map((p) => p.install_id)).toEqual(['durable']);
    });
  });
}

await forEachControlAdapter(postbacksContract);
