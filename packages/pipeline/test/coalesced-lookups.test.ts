import { type EventStore, idKey } from '@unmogrowp/storage';
import { describe, expect, it } from 'vitest';
import { coalescedLookups } from '../src/partitions/coalesced-lookups.ts';

/** A store whose look-ups answer when told to, recording what each asked for. */
function slowStore(stored: Set<string>) {
  const asked: string[][] = [];
  const pending: (() => void)[] = [];
  let fail = false;
  const store = {
    existingIds: (_table: string, keys: { app_id: string; event_id: string }[]) =>
      new Promise<Set<string>>((resolve, reject) => {
        asked.push(keys.map((k) => k.event_id));
        pending.push(() =>
          fail
            ? reject(new Error('store down'))
            : resolve(new Set(keys.map((k) => idKey(k.app_id, k.event_id)).filter((k) => stored.has(k)))),
        );
      }),
    insertEvents: async () => {},
  } as unknown as EventStore;
  const answer = async () => {
    pending.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { store, asked, answer, failNext: (v: boolean) => (fail = v) };
}

const keys = (...ids: string[]) => ids.map((event_id) => ({ app_id: 'a', event_id }));

describe('coalesced store look-ups', () => {
  it('look-ups asked while one is in flight go out together as the next one, each answered with its own ids', async () => {
    const s = slowStore(new Set([idKey('a', 'x'), idKey('a', 'y'), idKey('a', 'z')]));
    const store = coalescedLookups(s.store);
    const first = store.existingIds('events', keys('x', 'w'));
    const second = store.existingIds('events', keys('y', 'v'));
    const third = store.existingIds('events', keys('z', 'y'));
    expect(s.asked).toEqual([['x', 'w']]);
    await s.answer();
    expect([...(await first)]).toEqual([idKey('a', 'x')]);
    // The two that waited share one query, with each id once.
    expect(s.asked).toEqual([
      ['x', 'w'],
      ['y', 'v', 'z'],
    ]);
    await s.answer();
    expect([...(await second)]).toEqual([idKey('a', 'y')]);
    expect([...(await third)].sort()).toEqual([idKey('a', 'y'), idKey('a', 'z')]);
  });

  it('a failed look-up fails the batches that shared it, and the next one is asked afresh', async () => {
    const s = slowStore(new Set([idKey('a', 'x')]));
    const store = coalescedLookups(s.store);
    s.failNext(true);
    const failed = expect(store.existingIds('events', keys('x'))).rejects.toThrow('store down');
    const later = store.existingIds('events', keys('x'));
    await s.answer();
    await failed;
    s.failNext(false);
    await s.answer();
    expect([...(await later)]).toEqual([idKey('a', 'x')]);
  });

  it('other methods reach the store unchanged', async () => {
    const s = slowStore(new Set());
    await expect(coalescedLookups(s.store).insertEvents([])).resolves.toBeUndefined();
  });
});
