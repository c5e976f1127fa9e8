import type { DeviceRegistry, DeviceState } from '../attribution/device-registry.ts';

const keyOf = (appId: string, deviceId: string) => `${appId}\u0000${deviceId}`;

/**
 * A batch's view of the shared device registry: reads fall through to it, writes stay here
 * until `commit`, which the worker calls only after its fencing check. A batch given up (lease
 * lost, store failing) leaves the shared registry as it was; its records come again.
 */
export class BatchDeviceRegistry implements DeviceRegistry {
  private readonly written = new Map<string, { appId: string; deviceId: string; state: DeviceState }>();
  /** Shared states read ahead by `prefetch`; a device the batch wrote is answered from `written` instead. */
  private readonly readAhead = new Map<string, Promise<DeviceState | null>>();

  constructor(private readonly shared: DeviceRegistry) {}

  /**
   * Reads the shared states of the batch's devices all at once, before attribution walks the
   * batch item by item. Without it, every item waits for its own round trip to the shared
   * registry, in turn: at a few hundred items a batch that was most of a batch's time, and a
   * partition's next batch waits for it. Reading ahead is safe because the partition's holder
   * is the only writer of its devices and keeps its own writes here until `commit`.
   */
  async prefetch(devices: Iterable<{ app_id: string; device_id: string }>): Promise<void> {
    const reads: Promise<DeviceState | null>[] = [];
    for (const { app_id, device_id } of devices) {
      const key = keyOf(app_id, device_id);
      if (this.readAhead.has(key) || this.written.has(key)) continue;
      const read = this.shared.get(app_id, device_id);
      this.readAhead.set(key, read);
      reads.push(read);
    }
    await Promise.all(reads);
  }

  async get(appId: string, deviceId: string): Promise<DeviceState | null> {
    const key = keyOf(appId, deviceId);
    const mine = this.written.get(key);
    if (mine) return mine.state;
    return (await this.readAhead.get(key)) ?? (this.readAhead.has(key) ? null : this.shared.get(appId, deviceId));
  }

  /** Erase: the batch's own writes for these devices go, and the shared registry forgets them. */
  async forget(appId: string, deviceIds: readonly string[]): Promise<number> {
    for (const id of deviceIds) {
      this.written.delete(keyOf(appId, id));
      this.readAhead.delete(keyOf(appId, id));
    }
    return this.shared.forget(appId, deviceIds);
  }

  async set(appId: string, deviceId: string, state: DeviceState): Promise<void> {
    this.written.set(keyOf(appId, deviceId), { appId, deviceId, state });
  }

  size(): Promise<number> {
    return this.shared.size();
  }

  /** Writes the batch's device states to the shared registry (the last state of each device). */
  async commit(): Promise<number> {
    const writes = [...this.written.values()];
    this.written.clear();
    this.readAhead.clear();
    await Promise.all(writes.map((w) => this.shared.set(w.appId, w.deviceId, w.state)));
    return writes.length;
  }
}
