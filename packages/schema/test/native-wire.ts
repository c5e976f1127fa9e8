import { iso, RECEIVED_AT } from './helpers.ts';

/** Native events as SDKs send them, for the native-format tests. */
export type Wire = Record<string, unknown>;

export function nativeEvent(overrides: Wire = {}): Wire {
  return {
    event_id: 'evt-1',
    type: 'event',
    name: 'purchase',
    timestamp: iso(RECEIVED_AT - 5_000),
    device: { id: 'device-1', platform: 'ios' },
    ...overrides,
  };
}
