import { type EventStore, type EventTable, idKey } from '@unmogrowp/storage';

type Keys = readonly { app_id: string; event_id: string }[];

interface Waiter {
  keys: Keys;
  resolve: (found: Set<string>) => void;
  reject: (err: unknown) => void;
}

/**
 * The store with `existingIds` look-ups coalesced per table: while one is in flight, the
 * look-ups of other partitions' batches wait and go out together as the next one, each getting
 * back only its own ids. A worker holding P partitions then sends a few look-ups per round
 * instead of P, each with more ids (a look-up's fixed cost — a query, and a turn at a store that
 * runs few at once — is what P multiplies; docs/scale-out.md, "End-to-end lag"). What a batch
 * finds is what a look-up of its own ids alone would find, at a moment at or after it asked.
 */
export function coalescedLookups(store: EventStore): EventStore {
  const tables = new Map<EventTable, { inFlight: boolean; waiting: Waiter[] }>();
  const flush = (table: EventTable) => {
    const state = tables.get(table)!;
    const waiters = state.waiting;
    state.waiting = [];
    state.inFlight = true;
    const unique = new Map<string, { app_id: string; event_id: string }>();
    for (const w of waiters) for (const k of w.keys) unique.set(idKey(k.app_id, k.event_id), k);
    store
      .existingIds(table, [...unique.values()])
      .then(
        (found) => {
          for (const w of waiters) w.resolve(new Set(w.keys.map((k) => idKey(k.app_id, k.event_id)).filter((key) => found.has(key))));
        },
        (err) => {
          for (const w of waiters) w.reject(err);
        },
      )
      .finally(() => {
        state.inFlight = false;
        if (state.waiting.length > 0) flush(table);
      });
  };
  const existingIds = (table: EventTable, keys: Keys): Promise<Set<string>> =>
    new Promise((resolve, reject) => {
      let state = tables.get(table);
      if (!state) {
        state = { inFlight: false, waiting: [] };
        tables.set(table, state);
      }
      state.waiting.push({ keys, resolve, reject });
      if (!state.inFlight) flush(table);
    });
  return new Proxy(store, {
    get(target, name) {
      if (name === 'existingIds') return existingIds;
      const value = Reflect.get(target, name);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
