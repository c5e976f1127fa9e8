/**
 * Tells whoever waits for a device's attribution that its install was just decided (the SDK's
 * `GET /v1/attribution/:device_id` long-poll). The decision itself is read from the device
 * registry; this port only wakes the waiter, so a missed wake-up costs latency, never a wrong answer.
 * Embedded: in this process. Scale-out (ingest and workers apart): a pub/sub adapter, or the
 * waiter polling the shared registry.
 */
export interface DecisionFeed {
  /** The pipeline calls this after a batch's installs are stored. */
  publish(decided: readonly { app_id: string; device_id: string }[]): void;
  /** Resolves true when a decision of this device is published, false after `timeoutMs` or on abort. */
  waitFor(appId: string, deviceId: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
}

/** Waiters in a map keyed by app and device; nothing is kept once nobody waits. */
export class MemoryDecisionFeed implements DecisionFeed {
  private readonly waiters = new Map<string, Set<(decided: boolean) => void>>();

  publish(decided: readonly { app_id: string; device_id: string }[]): void {
    for (const d of decided) {
      const key = `${d.app_id}\u0000${d.device_id}`;
      const set = this.waiters.get(key);
      if (!set) continue;
      this.waiters.delete(key);
      for (const wake of set) wake(true);
    }
  }

  waitFor(appId: string, deviceId: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const key = `${appId}\u0000${deviceId}`;
    return new Promise((resolve) => {
      if (timeoutMs <= 0 || signal?.aborted) return resolve(false);
      const set = this.waiters.get(key) ?? new Set();
      this.waiters.set(key, set);
      const done = (decided: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        const current = this.waiters.get(key);
        current?.delete(done);
        if (current?.size === 0) this.waiters.delete(key);
        resolve(decided);
      };
      const abort = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      signal?.addEventListener('abort', abort, { once: true });
      set.add(done);
    });
  }

  /** Open long-polls, for the metrics and for tests. */
  waiting(): number {
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }
}
