import type { ClickLink } from './links.repo.ts';

/**
 * The click and impression routes must not wait on the database per request (docs/architecture.md
 * "hot path first"): links are read through this cache. An entry (unknown links included, so a
 * scan of made-up ids cannot hammer the database) lives `ttlMs`; a change made on another
 * process shows within that time, one made here at once through `invalidate`. Concurrent misses
 * for one id share one query; a failed query is not cached.
 */
export interface ClickLinkCache {
  get(linkId: string): Promise<ClickLink | null>;
  /** Forgets one link (after an update, disable or delete) or, without an id, everything (after an app's settings change). */
  invalidate(linkId?: string): void;
}

export interface ClickLinkCacheOptions {
  /** default 5 s */
  ttlMs?: number;
  /** default 100 000; the oldest entries go first */
  maxEntries?: number;
  now?: () => number;
}

export function createClickLinkCache(
  load: (linkId: string) => Promise<ClickLink | null>,
  options: ClickLinkCacheOptions = {},
): ClickLinkCache {
  const ttlMs = options.ttlMs ?? 5_000;
  const maxEntries = Math.max(1, options.maxEntries ?? 100_000);
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: ClickLink | null; expires: number }>();
  const loading = new Map<string, Promise<ClickLink | null>>();
  // Bumped by invalidate: a query started before it must not store what it read.
  let generation = 0;

  return {
    get(linkId) {
      const hit = entries.get(linkId);
      if (hit && hit.expires > now()) return Promise.resolve(hit.value);
      const pending = loading.get(linkId);
      if (pending) return pending;
      const started = generation;
      const query = load(linkId)
        .then((value) => {
          if (started === generation) {
            entries.delete(linkId);
            entries.set(linkId, { value, expires: now() + ttlMs });
            for (const oldest of entries.keys()) {
              if (entries.size <= maxEntries) break;
              entries.delete(oldest);
            }
          }
          return value;
        })
        .finally(() => loading.delete(linkId));
      loading.set(linkId, query);
      return query;
    },
    invalidate(linkId) {
      generation++;
      if (linkId === undefined) {
        entries.clear();
        loading.clear();
      } else {
        entries.delete(linkId);
        loading.delete(linkId);
      }
    },
  };
}
