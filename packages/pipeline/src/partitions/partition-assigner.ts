import type { Lease, PartitionLeases } from './partition-leases.ts';

export type LossReason = 'lost' | 'rebalance' | 'stop';

export interface PartitionAssignerOptions {
  leases: PartitionLeases;
  partitions: number;
  /** Start consuming a partition just taken. */
  onGained: (lease: Lease) => void;
  /** Stop consuming a partition; resolve once its batch in flight is over (acked or left for the next owner). */
  onLost: (lease: Lease, reason: LossReason) => Promise<void>;
  onError?: (err: unknown) => void;
  /** Between two rounds of renew / rebalance (default a third of the lease TTL). */
  intervalMs?: number;
}

export interface PartitionAssigner {
  /** Partitions held right now. */
  owned(): Lease[];
  /** One round now: heartbeat, renew, hand back extras, take free ones up to this worker's share. */
  tick(): Promise<void>;
  /** Stops every partition's work, then hands the leases back, so others take them at once. */
  stop(): Promise<void>;
}

/**
 * Keeps this worker holding its share of the partitions: ceil(partitions / live workers). Each
 * round renews what it holds (a lease that could not be renewed is given up at once: another
 * worker may own it), hands back partitions beyond the share (after their work stopped, so
 * never two consumers at once), and takes free partitions, starting at a place derived from
 * the worker id so that workers starting together do not all race for partition 0.
 */
export function startPartitionAssigner(options: PartitionAssignerOptions): PartitionAssigner {
  const { leases, partitions } = options;
  const intervalMs = options.intervalMs ?? Math.max(100, Math.floor(leases.ttlMs / 3));
  const owned = new Map<number, Lease>();
  /** When each held lease was last taken or renewed, by this process's clock. */
  const renewedAt = new Map<number, number>();
  /** Being handed back: neither counted as ours nor taken again until the work stopped. */
  const leaving = new Map<number, Promise<void>>();
  let running: Promise<void> | null = null;
  let stopped = false;
  const start = hashOf(leases.workerId) % partitions;

  const giveUp = (lease: Lease, reason: LossReason) => {
    owned.delete(lease.partition);
    renewedAt.delete(lease.partition);
    const done = options
      .onLost(lease, reason)
      .catch((err) => options.onError?.(err))
      .then(() => (reason === 'lost' ? undefined : leases.release(lease)))
      .catch((err) => options.onError?.(err))
      .finally(() => leaving.delete(lease.partition));
    leaving.set(lease.partition, done);
    return done;
  };

  const round = async () => {
    // Not renewed for a round (Redis slow or unreachable): by the next round the lease may be
    // someone else's, so stop now rather than after it expired.
    const stale = Date.now() - (leases.ttlMs - intervalMs);
    for (const lease of owned.values()) if (renewedAt.get(lease.partition)! <= stale) void giveUp(lease, 'lost');
    const live = Math.max(1, await leases.heartbeat());
    const share = Math.ceil(partitions / live);
    const asked = Date.now();
    const renewed = await Promise.all([...owned.values()].map(async (l) => [l, await leases.renew(l)] as const));
    for (const [lease, ok] of renewed) {
      if (ok) renewedAt.set(lease.partition, asked);
      else if (owned.get(lease.partition) === lease) void giveUp(lease, 'lost');
    }
    const extra = [...owned.values()].sort((a, b) => b.partition - a.partition).slice(0, Math.max(0, owned.size - share));
    for (const lease of extra) void giveUp(lease, 'rebalance');
    for (let i = 0; i < partitions && owned.size < share && !stopped; i++) {
      const p = (start + i) % partitions;
      if (owned.has(p) || leaving.has(p)) continue;
      const asked = Date.now();
      const lease = await leases.acquire(p);
      if (!lease) continue;
      owned.set(p, lease);
      renewedAt.set(p, asked);
      options.onGained(lease);
    }
  };

  const tick = () =>
    (running ??= round()
      .catch((err) => options.onError?.(err))
      .finally(() => {
        running = null;
      }));

  let timer: NodeJS.Timeout | null = null;
  const loop = () => {
    timer = setTimeout(() => {
      if (stopped) return;
      void tick().then(() => {
        if (!stopped) loop();
      });
    }, intervalMs);
  };
  void tick().then(loop);

  return {
    owned: () => [...owned.values()],
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await Promise.all([...owned.values()].map((l) => giveUp(l, 'stop')));
      await Promise.all(leaving.values());
      await leases.leave().catch((err) => options.onError?.(err));
    },
  };
}

function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
