import type { ClaimState, DedupeIndex } from './dedupe-index.ts';

/**
 * The dedupe index while it is still being filled from the event store after a restart, so
 * ingest can open at once instead of after the whole scan. Until `warmed()` is called, a key
 * the index does not know yet is looked up in the store before it is claimed: an id stored
 * before the restart is a duplicate even if the scan has not reached it. Ids still in the log
 * are remembered before ingest opens (they are in memory already), so this lookup only covers
 * the store. Once warmed, every call goes straight to the index.
 */
export class WarmingDedupeIndex implements DedupeIndex {
  private warming = true;

  constructor(
    private readonly inner: DedupeIndex,
    /** which of these keys (`idKey(app, event_id)`) the store holds */
    private readonly storedKeys: (keys: readonly string[]) => Promise<Set<string>>,
  ) {}

  /** The scan has finished: the index alone knows every stored id from now on. */
  warmed(): void {
    this.warming = false;
  }

  isWarming(): boolean {
    return this.warming;
  }

  async claim(keys: readonly string[], now: number): Promise<ClaimState[]> {
    const states = await this.inner.claim(keys, now);
    if (!this.warming) return states;
    const claimed = keys.filter((_, i) => states[i] === 'claimed');
    if (claimed.length === 0) return states;
    let stored: Set<string>;
    try {
      stored = await this.storedKeys(claimed);
    } catch (err) {
      await this.inner.release(claimed);
      throw err;
    }
    if (stored.size === 0) return states;
    const found = claimed.filter((k) => stored.has(k));
    // Committed, not just released: the next retry is answered without asking the store again.
    await this.inner.commit(found, now);
    return states.map((s, i) => (s === 'claimed' && stored.has(keys[i]!) ? 'duplicate' : s));
  }

  commit(keys: readonly string[], now: number): Promise<void> {
    return this.inner.commit(keys, now);
  }

  release(keys: readonly string[]): Promise<void> {
    return this.inner.release(keys);
  }

  remember(keys: readonly string[], at: readonly number[]): Promise<void> {
    return this.inner.remember(keys, at);
  }

  size(): Promise<number> {
    return this.inner.size();
  }
}
