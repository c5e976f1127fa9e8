import type { DeviceRegistry, DeviceState } from '../attribution/device-registry.ts';

/**
 * A batch's view of the shared device registry: reads fall through to it, writes stay here
 * until `commit`, which the worker calls only after its fencing check. A batch given up (lease
 * lost, store failing) leaves the shared registry as it was; its records come again.
 */
export class BatchDeviceRegistry implements DeviceRegistry {
  private readonly written = new Map<string, { appId: string; deviceId: string; state: DeviceState }>();

  constructor(private readonly shared: DeviceRegistry) {}

  async get(appId: string, deviceId: string): Promise<DeviceState | null> {
    return this.written.get(`${appId}\u0000${deviceId}`)?.state ?? this.shared.get(appId, deviceId);
  }

  /** Erase: the batch's own writes for these devices go, and the shared registry forgets them. */
  async forget(appId: string, deviceIds: readonly string[]): Promise<number> {
    for (const id of deviceIds) this.written.delete(`${appId}\u0000${id}`);
    return this.shared.forget(appId, deviceIds);
  }

  async set(appId: string, deviceId: string, state: DeviceState): Promise<void> {
    this.written.set(`${appId}\u0000${deviceId}`, { appId, deviceId, state });
  }

  size(): Promise<number> {
    return this.shared.size();
  }

  /** Writes the batch's device states to the shared registry (the last state of each device). */
  async commit(): Promise<number> {
    const writes = [...this.written.values()];
    this.written.clear();
    await Promise.all(writes.map((w) => this.shared.set(w.appId, w.deviceId, w.state)));
    return writes.length;
  }
}
