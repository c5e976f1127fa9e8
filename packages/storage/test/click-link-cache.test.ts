import { describe, expect, it } from 'vitest';
import { type ClickLink, createClickLinkCache } from '../src/index.ts';

const linkOf = (id: string, enabled = true) => ({ link: { id, enabled }, app: { id: 'app_1' } }) as unknown as ClickLink;

function counting(answers: Map<string, ClickLink | null>) {
  const calls: string[] = [];
  const gates: (() => void)[] = [];
  let gated = false;
  const load = async (id: string) => {
    calls.push(id);
    if (gated) await new Promise<void>((r) => gates.push(r));
    return answers.get(id) ?? null;
  };
  const open = () => {
    gated = false;
    for (const release of gates.splice(0)) release();
  };
  return { calls, load, gate: () => (gated = true), open };
}

describe('click link cache', () => {
  it('answers from memory until the entry is ttlMs old, unknown ids included', async () => {
    let clock = 0;
    const answers = new Map([['lnk_a', linkOf('lnk_a')]]);
    const db = counting(answers);
    const cache = createClickLinkCache(db.load, { ttlMs: 1000, now: () => clock });
    expect(await cache.get('lnk_a')).toEqual(linkOf('lnk_a'));
    expect(await cache.get('lnk_zzz')).toBeNull();
    clock = 999;
    await cache.get('lnk_a');
    await cache.get('lnk_zzz');
    expect(db.calls).toEqual(['lnk_a', 'lnk_zzz']);
    answers.set('lnk_a', linkOf('lnk_a', false));
    clock = 1000;
    expect((await cache.get('lnk_a'))?.link.enabled).toBe(false);
    expect(db.calls).toEqual(['lnk_a', 'lnk_zzz', 'lnk_a']);
  });

  it('shares one query between concurrent misses, and does not cache a failure', async () => {
    const db = counting(new Map([['lnk_a', linkOf('lnk_a')]]));
    const cache = createClickLinkCache(db.load);
    db.gate();
    const both = Promise.all([cache.get('lnk_a'), cache.get('lnk_a')]);
    db.open();
    expect(await both).toEqual([linkOf('lnk_a'), linkOf('lnk_a')]);
    expect(db.calls).toEqual(['lnk_a']);

    let fail = true;
    const flaky = createClickLinkCache(async (id) => {
      if (fail) throw new Error('db down');
      return linkOf(id);
    });
    await expect(flaky.get('lnk_b')).rejects.toThrow('db down');
    fail = false;
    expect(await flaky.get('lnk_b')).toEqual(linkOf('lnk_b'));
  });

  it('forgets on invalidate, also what a query in flight was about to store', async () => {
    const answers = new Map([['lnk_a', linkOf('lnk_a')]]);
    const db = counting(answers);
    const cache = createClickLinkCache(db.load);
    await cache.get('lnk_a');
    cache.invalidate('lnk_a');
    await cache.get('lnk_a');
    expect(db.calls).toHaveLength(2);
    db.gate();
    const inFlight = cache.get('lnk_a2');
    cache.invalidate();
    db.open();
    await inFlight;
    await cache.get('lnk_a');
    expect(db.calls).toEqual(['lnk_a', 'lnk_a', 'lnk_a2', 'lnk_a']);
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    const db = counting(new Map());
    const cache = createClickLinkCache(db.load, { maxEntries: 2 });
    for (const id of ['a', 'b', 'c', 'b', 'a']) await cache.get(id);
    expect(db.calls).toEqual(['a', 'b', 'c', 'a']);
  });
});
