import type { EventStore, OnProgress, TouchpointIndex } from '@unmogrowp/storage';
import { idKey } from '@unmogrowp/storage';
import type { DeviceRegistry } from '../attribution/device-registry.ts';
import { warmAttribution } from '../attribution/warm-attribution.ts';
import type { DedupeIndex } from '../dedupe/dedupe-index.ts';

const DAY = 86_400_000;

export interface AttributionStateTargets {
  touchpoints: TouchpointIndex;
  devices: DeviceRegistry;
  dedupe: DedupeIndex;
  dedupeDays: number;
}

/**
 * The attribution state the scale-out roles keep in Redis, rebuilt from an event store the way
 * an embedded start rebuilds it in memory (warm-attribution.ts, warm-dedupe.ts): touches that
 * can still win an install, each device's current install, and the ids of the dedupe window
 * (so an event sent again after the move is still a duplicate).
 *
 * Idempotent: a touch is added by its id, a dedupe key is remembered once, and a device that
 * already has state is left alone (the scale-out workers may have moved it on since a first run).
 */
export async function copyAttributionState(
  source: EventStore,
  targets: AttributionStateTargets,
  onProgress: OnProgress = () => {},
  now = Date.now(),
) {
  const devices: DeviceRegistry = {
    get: (app, device) => targets.devices.get(app, device),
    set: async (app, device, state) => {
      if ((await targets.devices.get(app, device)) === null) await targets.devices.set(app, device, state);
    },
    size: () => targets.devices.size(),
    forget: (app, deviceIds) => targets.devices.forget(app, deviceIds),
  };
  onProgress({ step: 'redis: touches and devices', done: 0, total: 1 });
  const warmed = await warmAttribution(source, targets.touchpoints, devices, now);
  onProgress({ step: 'redis: touches and devices', done: 1, total: 1 });
  let ids = 0;
  for await (const chunk of source.recentIds(now - (targets.dedupeDays + 1) * DAY)) {
    await targets.dedupe.remember(
      chunk.map((id) => idKey(id.app_id, id.event_id)),
      chunk.map((id) => id.received_at),
    );
    ids += chunk.length;
    onProgress({ step: 'redis: dedupe ids', done: ids, total: ids });
  }
  return { ...warmed, dedupeIds: ids };
}
