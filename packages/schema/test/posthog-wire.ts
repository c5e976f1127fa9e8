import { iso, RECEIVED_AT } from './helpers.ts';

/** PostHog capture events as clients send them, for the PostHog tests. */
export type Wire = Record<string, unknown>;

export function capture(event: string, overrides: Wire = {}): Wire {
  return { event, uuid: `uuid-${event}`, distinct_id: 'distinct-1', timestamp: iso(RECEIVED_AT - 2_000), properties: {}, ...overrides };
}

export const batch = (...events: Wire[]) => ({ api_key: 'phc_key', batch: events });
