import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultSettings } from '@unmogrowp/attribution';
import { type EventStore, MemoryClickFloodCounter, MemoryTouchpointIndex, openChdbEventStore } from '@unmogrowp/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryDeviceRegistry } from '../src/attribution/device-registry.ts';
import { openFileLog } from '../src/log/file-log.ts';
import { processRecords } from '../src/steps/process-records.ts';
import { click, event } from './support/items.ts';

const T0 = Date.UTC(2026, 10, 1, 12);

/**
 * A store that fails mid-batch (after the clicks and installs of a batch are in, before its
 * events) makes the log deliver the batch again, marked replayed: nothing may be stored twice.
 * A record appended meanwhile joins the retried batch, so the retried inserts are not
 * byte-identical blocks (which the engine would drop by itself and hide a missing check).
 */
describe('pipeline: a store failing mid-batch, then the replay', () => {
  let store: EventStore;
  beforeAll(async () => {
    store = await openChdbEventStore(await mkdtemp(path.join(tmpdir(), 'unmogrowp-replay-')));
    await store.migrate();
  });
  afterAll(() => store.close());

  it('stores each click, install and event once after a failed attempt', async () => {
    const appId = `app_replay_${process.pid}_${Date.now()}`;
    let failEvents = 1;
    const failing = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'insertEvents')
          return async (rows: Parameters<EventStore['insertEvents']>[0]) => {
            if (failEvents-- > 0) throw new Error('store refused the events insert');
            return target.insertEvents(rows);
          };
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const handler = processRecords({
      store: failing,
      attribution: {
        touchpoints: new MemoryTouchpointIndex(),
        devices: new MemoryDeviceRegistry(),
        floods: new MemoryClickFloodCounter(),
        settingsOf: async () => defaultSettings(),
        globalBlocked: [],
      },
    });
    let failures = 0;
    const log = await openFileLog({
      dir: await mkdtemp(path.join(tmpdir(), 'unmogrowp-replay-log-')),
      retryDelayMs: () => 300,
      onConsumerError: () => failures++,
    });
    await log.append([
      click({ app_id: appId, timestamp: T0 }),
      event({ app_id: appId, type: 'install', device_id: 'd1', timestamp: T0 + 60_000 }),
      event({ app_id: appId, type: 'event', name: 'purchase', device_id: 'd1', timestamp: T0 + 120_000 }),
    ]);
    log.consume(handler);
    while (failures === 0) await new Promise((r) => setTimeout(r, 10));
    await log.append([click({ app_id: appId, timestamp: T0 + 1000 })]);
    expect(await log.drain(20_000)).toBe(true);
    await log.close();
    const overview = await store.overview(appId, { from: T0 - 3_600_000, to: T0 + 3_600_000 });
    expect(overview).toMatchObject({ clicks: 2, installs: 1, total_events: 2 });
  });
});
