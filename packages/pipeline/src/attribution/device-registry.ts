import type { Attribution, Reengagement } from '@unmogrowp/attribution';

/** A re-engagement and the touch that caused it (no older click may cause another). */
export interface DeviceReengagement extends Reengagement {
  touch_at: number | null;
}

/** What the pipeline remembers of an installed device: its install and its re-engagements. */
export interface DeviceState {
  /** the id of the install row: the event_id of the install (or first open) that made it */
  install_id: string;
  installed_at: number;
  attribution: Attribution;
  /** the device's latest reinstall inside the re-attribution window (it kept this attribution) */
  reinstalled_at?: number;
  /** newest last; only those that can still credit events are kept */
  reengagements: DeviceReengagement[];
}

/**
 * Installed devices per app. Embedded: memory, rebuilt from the installs table on start.
 * Scale-out: Redis (the worker role is partitioned by app + device, so one writer per device).
 */
export interface DeviceRegistry {
  get(appId: string, deviceId: string): Promise<DeviceState | null>;
  set(appId: string, deviceId: string, state: DeviceState): Promise<void>;
  /** Erase (docs/privacy.md): forgets these devices of the app; returns how many were known. */
  forget(appId: string, deviceIds: readonly string[]): Promise<number>;
  size(): Promise<number>;
}

export class MemoryDeviceRegistry implements DeviceRegistry {
  /**
   * Per app, then per device: no key string is built per event (a joined key is a new string
   * to hash on every lookup; the ids' own hashes are computed once and kept by V8).
   */
  private readonly apps = new Map<string, Map<string, DeviceState>>();

  async get(appId: string, deviceId: string): Promise<DeviceState | null> {
    return this.apps.get(appId)?.get(deviceId) ?? null;
  }

  async set(appId: string, deviceId: string, state: DeviceState): Promise<void> {
    let devices = this.apps.get(appId);
    if (!devices) {
      devices = new Map();
      this.apps.set(appId, devices);
    }
    devices.set(deviceId, state);
  }

  async forget(appId: string, deviceIds: readonly string[]): Promise<number> {
    const devices = this.apps.get(appId);
    let n = 0;
    for (const id of deviceIds) if (devices?.delete(id)) n++;
    if (devices?.size === 0) this.apps.delete(appId);
    return n;
  }

  async size(): Promise<number> {
    let n = 0;
    for (const devices of this.apps.values()) n += devices.size;
    return n;
  }
}
