import { RECEIVED_AT } from './helpers.ts';

/** Segment messages as clients send them, for the Segment tests. */
export type Wire = Record<string, unknown>;

export function message(type: string, overrides: Wire = {}): Wire {
  return { type, messageId: `msg-${type}`, anonymousId: 'anon-1', timestamp: new Date(RECEIVED_AT - 1_000).toISOString(), ...overrides };
}

export const batch = (...messages: Wire[]) => ({ batch: messages });
