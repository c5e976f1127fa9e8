import { type EventStore, idKey } from '@unmogrowp/storage';
import type { DedupeIndex } from './dedupe/dedupe-index.ts';
import type { EventLog } from './log/event-log.ts';

const DAY = 86_400_000;

/**
 * Every id still waiting in the log is remembered: fast (the log tail is in memory), and done
 * before ingest opens, so a retry of an event not yet stored is a duplicate from the first request.
 */
export async function warmDedupeFromLog(dedupe: DedupeIndex, log: EventLog): Promise<number> {
  let fromLog = 0;
  for (const record of log.unconsumed()) {
    await dedupe.remember(
      record.items.map((item) => idKey(item.app_id, item.event_id)),
      record.items.map((item) => item.received_at),
    );
    fromLog += record.items.length;
  }
  return fromLog;
}

/**
 * Every id stored inside the dedupe window (plus a day, since the index drops whole days) is
 * remembered at the time it was received — so a retry after a restart is still a duplicate.
 */
export async function warmDedupeFromStore(dedupe: DedupeIndex, store: EventStore, windowDays: number, now = Date.now()) {
  let fromStore = 0;
  for await (const chunk of store.recentIds(now - (windowDays + 1) * DAY)) {
    await dedupe.remember(
      chunk.map((id) => idKey(id.app_id, id.event_id)),
      chunk.map((id) => id.received_at),
    );
    fromStore += chunk.length;
  }
  return fromStore;
}

/** Both, in order (the embedded start-up runs them apart: the store scan behind open listeners). */
export async function warmDedupe(dedupe: DedupeIndex, store: EventStore, log: EventLog, windowDays: number, now = Date.now()) {
  const fromStore = await warmDedupeFromStore(dedupe, store, windowDays, now);
  const fromLog = await warmDedupeFromLog(dedupe, log);
  return { fromStore, fromLog };
}
