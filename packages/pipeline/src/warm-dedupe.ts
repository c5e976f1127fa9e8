import { type EventStore, idKey } from '@unmogrowp/storage';
import type { DedupeIndex } from './dedupe/dedupe-index.ts';
import type { EventLog } from './log/event-log.ts';

const DAY = 86_400_000;

/**
 * Before ingest opens: every id stored inside the dedupe window, and every id still waiting
 * in the log, is remembered — so a retry after a restart is still a duplicate.
 */
export async function warmDedupe(dedupe: DedupeIndex, store: EventStore, log: EventLog, windowDays: number, now = Date.now()) {
  let fromStore = 0;
  for await (const chunk of store.recentIds(now - (windowDays + 1) * DAY)) {
    await dedupe.remember(
      chunk.map((id) => idKey(id.app_id, id.event_id)),
      chunk.map((id) => id.received_at),
    );
    fromStore += chunk.length;
  }
  let fromLog = 0;
  for (const record of log.unconsumed()) {
    await dedupe.remember(
      record.items.map((item) => idKey(item.app_id, item.event_id)),
      record.items.map((item) => item.received_at),
    );
    fromLog += record.items.length;
  }
  return { fromStore, fromLog };
}
