import type { EventStore, EventTable, InsertOptions } from '@unmogrowp/storage';

/**
 * The stages of one partition batch a worker times (docs/scale-out.md, "End-to-end lag"):
 * `queued` the oldest record's age when its batch starts (publish → handler), `batch` the
 * handler as a whole, and inside it `prefetch` (device read-ahead), `attribute`,
 * `store_check` (the `existingIds` look-ups), `plan_fix` (fencing check + plan + device
 * states), `insert_<table>` (one per table), `postbacks` (the outbox insert), `settle`.
 */
export type StageObserver = (stage: string, ms: number) => void;

/** Times `run` as `stage`, whether it resolves or throws. */
export async function timed<T>(observe: StageObserver | undefined, stage: string, run: () => Promise<T>): Promise<T> {
  if (!observe) return run();
  const started = performance.now();
  try {
    return await run();
  } finally {
    observe(stage, performance.now() - started);
  }
}

const INSERTS: Record<string, EventTable> = {
  insertEvents: 'events',
  insertIdentities: 'identities',
  insertClicks: 'clicks',
  insertImpressions: 'impressions',
  insertInstalls: 'installs',
  insertReengagements: 'reengagements',
};

/** The store with each batch insert timed as `insert_<table>`; everything else passes through. */
export function timedInserts(store: EventStore, observe: StageObserver | undefined): EventStore {
  if (!observe) return store;
  return new Proxy(store, {
    get(target, name) {
      const value = Reflect.get(target, name);
      const table = typeof name === 'string' ? INSERTS[name] : undefined;
      if (table === undefined || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      const insert = value as (...args: [unknown[], InsertOptions?]) => Promise<void>;
      return (...args: [unknown[], InsertOptions?]) => timed(observe, `insert_${table}`, () => insert.apply(target, args));
    },
  });
}
