import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultSettings } from '@unmogrowp/attribution';
import {
  type EventStore,
  eventRowEncoder,
  type InsertOptions,
  MemoryClickFloodCounter,
  MemoryTouchpointIndex,
  type StoredEvent,
} from '@unmogrowp/storage';
import { describe, expect, it } from 'vitest';
import { eventValues, toNdjson } from '../../storage/src/events/event-rows.ts';
import { MemoryDeviceRegistry } from '../src/attribution/device-registry.ts';
import { openFileLog } from '../src/log/file-log.ts';
import { processRecords } from '../src/steps/process-records.ts';
import { click, event } from './support/items.ts';

const GAID = '6d92078a-8246-4ba4-ae5b-76104861e7dc';

/** A store that keeps what `insertEvents` was given and accepts every other write. */
function recordingStore() {
  const inserts: { events: StoredEvent[]; options?: InsertOptions }[] = [];
  const store = new Proxy({} as EventStore, {
    get(_target, prop) {
      if (prop === 'insertEvents') return async (events: StoredEvent[], options?: InsertOptions) => void inserts.push({ events, options });
      if (prop === 'existingIds') return async () => new Set<string>();
      return async () => {};
    },
  });
  return { store, inserts };
}

describe('pipeline: events inserted from the row prefixes the log wrote', () => {
  it('hands the store every event’s prefix, fresh and after a restart, and the insert bytes are those of whole rows', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'unmogrowp-row-prefix-'));
    const attribution = {
      touchpoints: new MemoryTouchpointIndex(),
      devices: new MemoryDeviceRegistry(),
      floods: new MemoryClickFloodCounter(),
      settingsOf: async () => defaultSettings(),
      globalBlocked: [],
    };
    const clickAt = Date.UTC(2026, 10, 1, 12);
    // The purchase inherits the install's credit: the attribution columns are not empty.
    const items = [
      click({ advertising_id: GAID, timestamp: clickAt }),
      event({ type: 'install', name: 'install', advertising_id: GAID, device_id: 'd1', timestamp: clickAt + 60_000 }),
      event({ type: 'event', name: 'purchase "1"\n', advertising_id: GAID, device_id: 'd1', timestamp: clickAt + 120_000, revenue: 3 }),
    ];
    const first = await openFileLog({ dir });
    await first.append(items.slice(0, 2));
    await first.close();
    // Replayed after a "restart", then a fresh record.
    const log = await openFileLog({ dir, minBatchIntervalMs: 0 });
    await log.append(items.slice(2));
    const { store, inserts } = recordingStore();
    log.consume(processRecords({ store, attribution }));
    expect(await log.drain(5_000)).toBe(true);
    await log.close();

    const events = inserts.flatMap((i) => i.events);
    expect(events.map((e) => e.name)).toEqual(['install', 'purchase "1"\n']);
    expect(events[1]!.attribution?.media_source).toBe('meta_ads');
    let inserted = '';
    for (const { events: batch, options } of inserts) {
      for (const e of batch) expect(options?.eventRowPrefix?.(e)).toBeDefined();
      const bytes = toNdjson(batch, eventRowEncoder(options?.eventRowPrefix)).toString();
      expect(bytes).toBe(toNdjson(batch, eventValues).toString());
      inserted += bytes;
    }
    expect(inserted).toContain('"meta_ads"');
  });
});
