/** One minute of ingest traffic as the System screen charts it. */
export interface MinuteSample {
  /** start of the minute, epoch ms */
  t: number;
  requests: number;
  errors: number;
}

const MINUTE = 60_000;

/**
 * Per-minute request and 5xx counts for the last `minutes` minutes, in process, so an operator
 * without Prometheus still sees the last hour. Fixed size: one slot per minute, reused in turn.
 */
export class MinuteRing {
  private readonly slots: MinuteSample[];

  constructor(
    private readonly minutes = 60,
    private readonly now: () => number = Date.now,
  ) {
    this.slots = Array.from({ length: minutes }, () => ({ t: -1, requests: 0, errors: 0 }));
  }

  record(status: number): void {
    const slot = this.slotFor(this.now());
    slot.requests++;
    if (status >= 500) slot.errors++;
  }

  /** Oldest first, one entry per minute of the window (minutes without traffic are zeros). */
  samples(): MinuteSample[] {
    const current = Math.floor(this.now() / MINUTE) * MINUTE;
    const out: MinuteSample[] = [];
    for (let t = current - (this.minutes - 1) * MINUTE; t <= current; t += MINUTE) {
      const slot = this.slots[(t / MINUTE) % this.minutes]!;
      out.push(slot.t === t ? { ...slot } : { t, requests: 0, errors: 0 });
    }
    return out;
  }

  private slotFor(at: number): MinuteSample {
    const t = Math.floor(at / MINUTE) * MINUTE;
    const slot = this.slots[(t / MINUTE) % this.minutes]!;
    if (slot.t !== t) {
      slot.t = t;
      slot.requests = 0;
      slot.errors = 0;
    }
    return slot;
  }
}
