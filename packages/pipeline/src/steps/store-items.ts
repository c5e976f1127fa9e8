import type { AppEvent, IdentityUpdate } from '@unmogrowp/schema';
import { type EventStore, idKey } from '@unmogrowp/storage';
import type { LogRecord, RecordsHandler } from '../log/event-log.ts';

export interface StoreStepHooks {
  onStored?: (items: number, ms: number) => void;
}

/**
 * The last step: writes log records into the event store. Records read back after a crash (or
 * re-delivered after a failed attempt) may be stored already, so only their missing ids are
 * written: the log is at-least-once, the store ends up exactly-once.
 */
export function storeItemsStep(store: EventStore, hooks: StoreStepHooks = {}): RecordsHandler {
  return async (records: LogRecord[]) => {
    const started = performance.now();
    const events = collect(records, 'event') as AppEvent[];
    const identities = collect(records, 'identity') as IdentityUpdate[];
    const replayedEvents = collect(records, 'event', true);
    const replayedIdentities = collect(records, 'identity', true);
    const [storedEvents, storedIdentities] = await Promise.all([
      replayedEvents.length ? store.existingIds('events', replayedEvents) : new Set<string>(),
      replayedIdentities.length ? store.existingIds('identities', replayedIdentities) : new Set<string>(),
    ]);
    const missing = <T extends { app_id: string; event_id: string }>(items: T[], stored: Set<string>) =>
      stored.size ? items.filter((i) => !stored.has(idKey(i.app_id, i.event_id))) : items;
    const newEvents = missing(events, storedEvents);
    const newIdentities = missing(identities, storedIdentities);
    if (newEvents.length) await store.insertEvents(newEvents);
    if (newIdentities.length) await store.insertIdentities(newIdentities);
    hooks.onStored?.(newEvents.length + newIdentities.length, performance.now() - started);
  };
}

function collect(records: LogRecord[], kind: 'event' | 'identity', replayedOnly = false) {
  const out = [];
  for (const r of records) {
    if (replayedOnly && !r.replayed) continue;
    for (const item of r.items) if (item.kind === kind) out.push(item);
  }
  return out;
}
