import type { EventStore } from '@unmogrowp/storage';

/** Which dedupe keys (`idKey(app, event_id)`) the store holds as events or identities. */
export function storedIdsIn(events: EventStore) {
  return async (keys: readonly string[]): Promise<Set<string>> => {
    const pairs = keys.map((k) => {
      const cut = k.indexOf('\u0000');
      return { app_id: k.slice(0, cut), event_id: k.slice(cut + 1) };
    });
    const [asEvents, asIdentities] = await Promise.all([events.existingIds('events', pairs), events.existingIds('identities', pairs)]);
    for (const k of asIdentities) asEvents.add(k);
    return asEvents;
  };
}
