import type { AppEvent } from '@unmogrowp/schema';
import { createLink, type EventStore } from '@unmogrowp/storage';
import { describe, expect, it } from 'vitest';
import { eventually, post, startTestPlatform } from './support/test-platform.ts';

const ADID = '7c1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4c';
const IOS_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const DAY = 86_400_000;

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

/** The store, with its start-up scans held until the test lets them run. */
function holdingScans(store: EventStore, touches: Promise<void>, ids: Promise<void>): EventStore {
  const held = <T>(wait: Promise<void>, scan: () => AsyncIterable<T>) =>
    (async function* () {
      await wait;
      yield* scan();
    })();
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'touchesSince') return (since: number) => held(touches, () => target.touchesSince(since));
      if (prop === 'recentIds') return (since: number) => held(ids, () => target.recentIds(since));
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function storedEvent(appId: string, id: string, receivedAt: number): AppEvent {
  return {
    kind: 'event',
    app_id: appId,
    event_id: id,
    type: 'event',
    name: 'purchase',
    timestamp: receivedAt,
    received_at: receivedAt,
    device_id: 'old-device',
    advertising_id: '',
    platform: 'ios',
    os_version: '17.1',
    model: '',
    app_version: '',
    locale: '',
    user_id: '',
    ip: '127.0.0.1',
    user_agent: '',
    click_id: '',
    install_referrer: null,
    revenue: 0,
    currency: '',
    properties: {},
    source: 'native',
  };
}

describe('restart: listeners first, stored state behind them', () => {
  it('accepts at once, decides no install before the attribution state is back, and dedupes stored ids throughout', {
    timeout: 120_000,
  }, async () => {
    const first = await startTestPlatform();
    const app = await first.newApp('warm');
    const link = await createLink(first.control, app.id, { name: 'L', media_source: 'snap', campaign: 'c', click_window_hours: 48 });
    await fetch(`${first.ingestUrl}/c/${link!.id}?idfa=${ADID}`, { redirect: 'manual', headers: { 'user-agent': IOS_UA } });
    // Ids received 3 days ago (inside the 7-day dedupe window, far outside an hour).
    const old = Date.now() - 3 * DAY;
    await first.events.insertEvents([storedEvent(app.id, 'old-a', old), storedEvent(app.id, 'old-b', old + 1)]);
    expect(await first.log.drain(10_000)).toBe(true);
    await first.close();

    const touches = gate();
    const ids = gate();
    const second = await startTestPlatform({}, { wrapEventStore: (s) => holdingScans(s, touches.opened, ids.opened) }, first.dir);
    try {
      const send = (body: Record<string, unknown>) =>
        post(
          `${second.ingestUrl}/v1/events`,
          { timestamp: new Date().toISOString(), device: { id: 'dev-w', platform: 'ios', advertising_id: ADID }, ...body },
          { 'x-api-key': app.sdkKey },
        );
      const warmGauge = async () => /^unmogrowp_startup_warm (\d)$/m.exec(await (await fetch(`${second.ingestUrl}/metrics`)).text())?.[1];
      expect(second.warmUp.phase()).toBe('attribution_state');
      expect(await warmGauge()).toBe('0');
      const install = await send({ event_id: 'inst-w', type: 'install', timestamp: new Date(Date.now() + 60_000).toISOString() });
      expect(install.status).toBe(202);
      expect(install.body.accepted).toBe(1);
      // A stored id is a duplicate even before the scan of stored ids has run.
      expect((await send({ event_id: 'old-a', type: 'event', name: 'purchase' })).body).toMatchObject({ accepted: 0, duplicates: 1 });

      await new Promise((r) => setTimeout(r, 1_000));
      const installs = async () => {
        const to = new Date(Date.now() + DAY).toISOString();
        const res = await fetch(`${second.apiUrl}/api/analytics/${app.id}/installs?to=${to}`, {
          headers: { authorization: `Bearer ${app.serverKey}` },
        });
        return (await res.json()) as { install_id: string; media_source: string; match_type: string }[];
      };
      expect(await installs()).toEqual([]); // held: deciding now would call it organic
      expect(second.log.pending().records).toBeGreaterThan(0);

      touches.open();
      await eventually(
        async () => expect(await installs()).toMatchObject([{ install_id: 'inst-w', media_source: 'snap', match_type: 'device_id' }]),
        15_000,
      );
      expect(second.warmUp.phase()).toBe('dedupe_ids');
      ids.open();
      await second.warmUp.done;
      expect(second.warmUp.phase()).toBe('running');
      expect(await warmGauge()).toBe('1');
      // Now only the index answers: it must hold ids received days ago, not just the last hours.
      expect((await send({ event_id: 'old-b', type: 'event', name: 'purchase' })).body).toMatchObject({ accepted: 0, duplicates: 1 });
    } finally {
      touches.open();
      ids.open();
      await second.close();
    }
  });
});
