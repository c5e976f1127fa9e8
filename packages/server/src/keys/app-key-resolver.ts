export interface ResolvedKey {
  app_id: string;
  kind: 'sdk' | 'server';
}

type Lookup = (presented: string) => Promise<ResolvedKey | null>;

interface Entry {
  value: ResolvedKey | null;
  expires: number;
}

/**
 * Ingest authenticates every request by key; asking the control store each time would put a
 * database round trip on the hot path. Answers are cached briefly (unknown keys more briefly,
 * so a just-created app works at once) and dropped on rotation in this process; other
 * processes see a rotation within `ttlMs`.
 */
export class AppKeyResolver {
  private readonly cache = new Map<string, Entry>();
  /** Bumped by forgetApp: a lookup that started before must not cache what it read (it may be a revoked key). */
  private generation = 0;

  constructor(
    private readonly lookup: Lookup,
    private readonly ttlMs = 10_000,
    private readonly negativeTtlMs = 1_000,
    private readonly maxEntries = 100_000,
  ) {}

  async resolve(presented: string): Promise<ResolvedKey | null> {
    const now = Date.now();
    const hit = this.cache.get(presented);
    if (hit && hit.expires > now) return hit.value;
    const started = this.generation;
    const value = await this.lookup(presented);
    if (started !== this.generation) return this.lookup(presented);
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    this.cache.set(presented, { value, expires: now + (value ? this.ttlMs : this.negativeTtlMs) });
    return value;
  }

  /** After a key rotation or an app's deletion. */
  forgetApp(appId: string): void {
    this.generation++;
    for (const [key, entry] of this.cache) if (entry.value?.app_id === appId) this.cache.delete(key);
  }
}
