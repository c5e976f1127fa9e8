import type { Attribution } from '@unmogrowp/attribution';
import type { EventStore, TouchpointIndex } from '@unmogrowp/storage';
import type { DeviceRegistry } from './device-registry.ts';

/** The longest click window a link may set: older touches can win nothing. */
const TOUCH_LOOKBACK_MS = 30 * 86_400_000;

/**
 * After a restart the attribution state is read back from the event store before the log is
 * replayed: every touch that can still win, and every device's current install (so a device is
 * never installed twice). Re-engagements are not kept across restarts: events after one are
 * credited to the install again until the next retargeting click.
 */
export async function warmAttribution(store: EventStore, touchpoints: TouchpointIndex, devices: DeviceRegistry, now = Date.now()) {
  let touches = 0;
  for await (const chunk of store.touchesSince(now - TOUCH_LOOKBACK_MS)) {
    for (const t of chunk) await touchpoints.add(t);
    touches += chunk.length;
  }
  let installs = 0;
  for await (const chunk of store.currentInstalls()) {
    for (const i of chunk) {
      const { app_id, device_id, install_id, installed_at, advertising_id: _adId, ...attribution } = i;
      await devices.set(app_id, device_id, {
        install_id,
        installed_at,
        attribution: attribution as Attribution,
        reengagements: [],
      });
    }
    installs += chunk.length;
  }
  return { touches, installs };
}
