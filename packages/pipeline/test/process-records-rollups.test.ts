import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultSettings } from '@unmogrowp/attribution';
import {
  createTransportEventStore,
  type EventStore,
  type EventStoreTransport,
  MemoryClickFloodCounter,
  MemoryTouchpointIndex,
  openChdbTransport,
} from '@unmogrowp/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLLUPS } from '../../storage/src/events/rollups.ts';
import { MemoryDeviceRegistry } from '../src/attribution/device-registry.ts';
import type { LogRecord } from '../src/log/event-log.ts';
import { openFileLog } from '../src/log/file-log.ts';
import { processRecords } from '../src/steps/process-records.ts';
import { click, event } from './support/items.ts';

const T0 = Date.UTC(2026, 10, 1, 12);
const HOUR = 3_600_000;
/** Whole hours around T0: the overview answers them from the rollups, not the raw rows. */
const RANGE = { from: T0 - 2 * HOUR, to: T0 + 3 * HOUR };

type Insert = 'insertClicks' | 'insertEvents';
const TABLE_OF: Record<Insert, string> = { insertClicks: 'clicks', insertEvents: 'events' };
/** The materialized views reading a raw table. */
const viewsOf = (table: string) => ROLLUPS.flatMap((r) => r.sources.filter((s) => s.table === table).map((s) => s.view));

/**
 * A process killed while the store writes a batch: an insert into a raw table and its views'
 * inserts are separate parts, so the kill can fall between them. Produced here with the real
 * engine, once, then the insert throws as the dead process would never have answered:
 *  - `raw_only`: the raw rows are committed, the views' rows are not (views detached meanwhile);
 *  - `views_only`: the views' rows are committed, the raw rows are not (raw rows deleted after).
 * The log hands the batch over again (replayed); a record appended meanwhile joins it, so the
 * retried insert is not a byte-identical block the engine would drop by itself.
 */
function dyingStore(store: EventStore, transport: EventStoreTransport, appId: string, insert: Insert, cut: 'raw_only' | 'views_only') {
  let dies = 1;
  const table = TABLE_OF[insert];
  const state = { died: false };
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === insert && dies > 0)
        return async (rows: never[]) => {
          dies--;
          if (cut === 'raw_only') {
            for (const view of viewsOf(table)) await transport.command(`DETACH TABLE ${view}`);
            try {
              await target[insert](rows);
            } finally {
              for (const view of viewsOf(table)) await transport.command(`ATTACH TABLE ${view}`);
            }
          } else {
            await target[insert](rows);
            await transport.command(`DELETE FROM ${table} WHERE app_id = {app:String}`, { app: appId });
          }
          state.died = true;
          throw new Error(`killed mid-batch (${cut} of ${table})`);
        };
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: wrapped, state };
}

describe('pipeline: a kill between a raw insert and its rollup views, then the replay', () => {
  let transport: EventStoreTransport;
  let store: EventStore;
  beforeAll(async () => {
    transport = await openChdbTransport(await mkdtemp(path.join(tmpdir(), 'unmogrowp-rollup-replay-')));
    store = createTransportEventStore(transport);
    await store.migrate();
  });
  afterAll(() => store.close());

  const attribution = () => ({
    touchpoints: new MemoryTouchpointIndex(),
    devices: new MemoryDeviceRegistry(),
    floods: new MemoryClickFloodCounter(),
    settingsOf: async () => defaultSettings(),
    globalBlocked: [],
  });

  it.each([
    ['insertClicks', 'raw_only'],
    ['insertEvents', 'raw_only'],
    ['insertEvents', 'views_only'],
  ] as const)('%s cut %s: the overview still counts every stored row once', async (insert, cut) => {
    const appId = `app_rollup_${insert}_${cut}_${process.pid}_${Date.now()}`;
    const dying = dyingStore(store, transport, appId, insert, cut);
    const handler = processRecords({ store: dying.store, attribution: attribution(), repairRollupsAfterReplay: true });
    const log = await openFileLog({ dir: await mkdtemp(path.join(tmpdir(), 'unmogrowp-rollup-replay-log-')), retryDelayMs: () => 300 });
    await log.append([
      click({ app_id: appId, timestamp: T0 }),
      click({ app_id: appId, timestamp: T0 + 1 }),
      event({ app_id: appId, type: 'install', device_id: 'd1', timestamp: T0 + 60_000 }),
      event({ app_id: appId, type: 'event', name: 'purchase', device_id: 'd1', revenue: 2, timestamp: T0 + 120_000 }),
    ]);
    log.consume(handler);
    while (!dying.state.died) await new Promise((r) => setTimeout(r, 10));
    await log.append([
      click({ app_id: appId, timestamp: T0 + 2 }),
      event({ app_id: appId, type: 'event', name: 'purchase', device_id: 'd1', revenue: 3, timestamp: T0 + 180_000 }),
    ]);
    expect(await log.drain(20_000)).toBe(true);
    await log.close();
    const overview = await store.overview(appId, RANGE);
    expect(overview).toMatchObject({ clicks: 3, installs: 1, total_events: 3, total_revenue: 5, active_users: 1 });
  });

  it('repairs a restart replay too: records read back from the log are replayed', async () => {
    const appId = `app_rollup_restart_${process.pid}_${Date.now()}`;
    const dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-rollup-restart-log-'));
    const items = [
      click({ app_id: appId, timestamp: T0 }),
      event({ app_id: appId, type: 'install', device_id: 'd1', timestamp: T0 + 60_000 }),
    ];
    // The first life stored the raw rows of the batch with the views' parts lost, and died before its checkpoint.
    const first = await openFileLog({ dir });
    await first.append(items);
    await first.close();
    const records: LogRecord[] = [{ seq: 1, items, replayed: false }];
    const views = [...viewsOf('clicks'), ...viewsOf('events'), ...viewsOf('installs')];
    for (const view of views) await transport.command(`DETACH TABLE ${view}`);
    try {
      await processRecords({ store, attribution: attribution() })(records);
    } finally {
      for (const view of views) await transport.command(`ATTACH TABLE ${view}`);
    }
    // The second life reads the record back (replayed) and consumes it.
    const second = await openFileLog({ dir });
    expect(second.unconsumed().map((r) => r.replayed)).toEqual([true]);
    second.consume(processRecords({ store, attribution: attribution(), repairRollupsAfterReplay: true }));
    expect(await second.drain(20_000)).toBe(true);
    await second.close();
    expect(await store.overview(appId, RANGE)).toMatchObject({ clicks: 1, installs: 1, total_events: 1, active_users: 1 });
  });
});
