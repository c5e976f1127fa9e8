import { expect } from 'vitest';
import type { AppEvent, IdentityUpdate, IngestItem, NormalizeContext, NormalizeResult } from '../src/index.ts';

export const RECEIVED_AT = Date.parse('2025-03-10T12:00:00.000Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function context(overrides: Partial<NormalizeContext> = {}): NormalizeContext {
  return {
    app_id: 'app_1',
    received_at: RECEIVED_AT,
    ip: '203.0.113.7',
    user_agent: 'HeaderAgent/1.0',
    trusted: false,
    ...overrides,
  };
}

export const iso = (ms: number) => new Date(ms).toISOString();

/** The only item of a result that must have accepted exactly one. */
export function only(result: NormalizeResult): IngestItem {
  expect(result.rejected).toEqual([]);
  expect(result.items).toHaveLength(1);
  return result.items[0]!.item;
}

export function onlyEvent(result: NormalizeResult): AppEvent {
  const item = only(result);
  if (item.kind !== 'event') throw new Error(`expected an event, got ${item.kind}`);
  return item;
}

export function onlyIdentity(result: NormalizeResult): IdentityUpdate {
  const item = only(result);
  if (item.kind !== 'identity') throw new Error(`expected an identity update, got ${item.kind}`);
  return item;
}

/** The error of a result that must have rejected exactly its only item. */
export function onlyRejection(result: NormalizeResult) {
  expect(result.items).toEqual([]);
  expect(result.rejected).toHaveLength(1);
  return result.rejected[0]!.error;
}

/** Catches the BodyError a normalizer throws, so tests can assert its fields. */
export function bodyErrorOf(fn: () => unknown): { status: number; code: string; message: string; details?: Record<string, unknown> } {
  try {
    fn();
  } catch (err) {
    return err as { status: number; code: string; message: string; details?: Record<string, unknown> };
  }
  throw new Error('expected a BodyError');
}
