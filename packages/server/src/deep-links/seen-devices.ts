/**
 * Devices this ingest process accepted an event from, recently: a device seen but not decided
 * is "pending" (202), a device never seen is unknown to the app (404) — which is also what a
 * device of another app is. Bounded: the oldest go first, and an entry lives `ttlMs`.
 */
export class SeenDevices {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 3_600_000,
    private readonly maxEntries = 200_000,
  ) {}

  mark(appId: string, deviceId: string, now = Date.now()): void {
    const key = `${appId}\u0000${deviceId}`;
    this.seen.delete(key);
    this.seen.set(key, now);
    if (this.seen.size > this.maxEntries) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }

  has(appId: string, deviceId: string, now = Date.now()): boolean {
    const at = this.seen.get(`${appId}\u0000${deviceId}`);
    return at !== undefined && now - at <= this.ttlMs;
  }
}
