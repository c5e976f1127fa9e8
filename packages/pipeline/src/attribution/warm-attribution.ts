import type { Attribution } from '@unmogrowp/attribution';
import type { ClickFloodCounter, EventStore, TouchpointIndex } from '@unmogrowp/storage';
import type { DeviceReengagement, DeviceRegistry } from './device-registry.ts';

const DAY = 86_400_000;
/** The longest click window a link may set: older touches can win nothing. */
const TOUCH_LOOKBACK_MS = 30 * DAY;
/** The longest re-engagement window an app may set (90 days). */
const REENGAGEMENT_LOOKBACK_MS = 90 * DAY;
/** Click-time hours the flood counter keeps (MemoryClickFloodCounter's default). */
const FLOOD_LOOKBACK_MS = 25 * 3_600_000;

export interface WarmTargets {
  touchpoints: TouchpointIndex;
  devices: DeviceRegistry;
  floods: ClickFloodCounter;
}

/**
 * After a restart the attribution state is read back from the event store before any record
 * is attributed: every touch that can still win, every device's current install (so a device
 * is never installed twice) with the re-engagements made since it, and the clicks the
 * click-flood rule counts (so a flood that began before the restart is not forgiven).
 */
export async function warmAttribution(store: EventStore, into: WarmTargets, now = Date.now()) {
  let touches = 0;
  for await (const chunk of store.touchesSince(now - TOUCH_LOOKBACK_MS)) {
    for (const t of chunk) await into.touchpoints.add(t);
    touches += chunk.length;
  }
  let installs = 0;
  for await (const chunk of store.currentInstalls()) {
    for (const i of chunk) {
      const { app_id, device_id, install_id, installed_at, advertising_id: _adId, ...attribution } = i;
      await into.devices.set(app_id, device_id, {
        install_id,
        installed_at,
        attribution: attribution as Attribution,
        reengagements: [],
      });
    }
    installs += chunk.length;
  }
  let reengagements = 0;
  for await (const chunk of store.reengagementsSince(now - REENGAGEMENT_LOOKBACK_MS)) {
    for (const r of chunk) {
      const state = await into.devices.get(r.app_id, r.device_id);
      // One made before the device's current install belongs to an install that was replaced.
      if (!state || r.at < state.installed_at) continue;
      const { app_id: _a, device_id: _d, event_id: _e, at, touch_at, ...credit } = r;
      const entry: DeviceReengagement = { at, touch_at, credit };
      await into.devices.set(r.app_id, r.device_id, { ...state, reengagements: [...state.reengagements, entry] });
      reengagements++;
    }
  }
  let floodClicks = 0;
  for await (const chunk of store.floodClicksSince(now - FLOOD_LOOKBACK_MS)) {
    for (const c of chunk) await into.floods.hit(c.link_id, c.ip, c.click_id, c.ts);
    floodClicks += chunk.length;
  }
  return { touches, installs, reengagements, floodClicks };
}
