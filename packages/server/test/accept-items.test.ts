import type { EventLog } from '@unmogrowp/pipeline';
import { MemoryDedupeIndex } from '@unmogrowp/pipeline';
import type { AppEvent, IdentityUpdate, IngestItem } from '@unmogrowp/schema';
import { idKey } from '@unmogrowp/storage';
import { describe, expect, it } from 'vitest';
import { acceptItems } from '../src/ingest/accept-items.ts';

// What acceptItems answers per client item (its `index`): accepted when at least one of its
// items was written, else a duplicate; an id twice in one request is written once.

const NOW = 1_760_000_000_000;

function event(id: string): AppEvent {
  return { kind: 'event', app_id: 'app_1', event_id: id, device_id: 'd1' } as AppEvent;
}

function identity(id: string): IdentityUpdate {
  return { kind: 'identity', app_id: 'app_1', event_id: id, device_id: 'd1' } as IdentityUpdate;
}

function setUp(committed: string[] = []) {
  const written: IngestItem[][] = [];
  const log = {
    append: async (items: readonly IngestItem[]) => {
      written.push([...items]);
      return written.length;
    },
    unavailableReason: () => null,
    pending: () => ({ records: 0, bytes: 0, oldestAppendedAt: null }),
  } as unknown as EventLog;
  const dedupe = new MemoryDedupeIndex(7);
  return {
    written,
    deps: { log, dedupe, maxLagBytes: 1e9 },
    ready: dedupe.commit(
      committed.map((id) => idKey('app_1', id)),
      NOW,
    ),
  };
}

describe('acceptItems', () => {
  it('writes an id sent twice in one request once, and calls the later copy a duplicate', async () => {
    const { deps, written, ready } = setUp();
    await ready;
    const items = [event('a'), event('b'), event('a')].map((item, index) => ({ index, item }));
    expect(await acceptItems(deps, items, [], NOW)).toEqual({ accepted: 2, duplicates: 1, rejected: [] });
    expect(written.map((w) => w.map((i) => i.event_id))).toEqual([['a', 'b']]);
  });

  it('counts a client item of two parts once: accepted when either part is new, duplicate when neither is', async () => {
    // A PostHog event with $set is an event and an identity update under one index.
    const { deps, written, ready } = setUp(['e1', 'e2', 's2']);
    await ready;
    const items = [
      { index: 0, item: event('e1') },
      { index: 0, item: identity('s1') },
      { index: 1, item: event('e2') },
      { index: 1, item: identity('s2') },
      { index: 2, item: event('e3') },
    ];
    expect(await acceptItems(deps, items, [], NOW)).toEqual({ accepted: 2, duplicates: 1, rejected: [] });
    expect(written.map((w) => w.map((i) => i.event_id))).toEqual([['s1', 'e3']]);
  });

  it('counts the same when the parts of client items are not next to each other', async () => {
    const { deps, ready } = setUp(['e1', 'e2', 's2']);
    await ready;
    const items = [
      { index: 1, item: event('e2') },
      { index: 0, item: event('e1') },
      { index: 2, item: event('e3') },
      { index: 1, item: identity('s2') },
      { index: 0, item: identity('s1') },
    ];
    expect(await acceptItems(deps, items, [], NOW)).toEqual({ accepted: 2, duplicates: 1, rejected: [] });
  });

  it('answers all duplicates without writing when every id is known', async () => {
    const { deps, written, ready } = setUp(['a', 'b']);
    await ready;
    const items = [event('a'), event('b')].map((item, index) => ({ index, item }));
    expect(await acceptItems(deps, items, [], NOW)).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
    expect(written).toEqual([]);
  });
});
