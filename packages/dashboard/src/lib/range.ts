import { writable } from 'svelte/store';
import { type DateRange, reviveRange } from './date-range.ts';

const KEY = 'unmogrowp.range';

type SessionStorageLike = { getItem(k: string): string | null; setItem(k: string, v: string): void };

function storage(): SessionStorageLike | null {
  try {
    return (globalThis as unknown as { sessionStorage?: SessionStorageLike }).sessionStorage ?? null;
  } catch {
    return null;
  }
}

/** The range every analytics page shows; kept per tab so a reload does not reset it. */
export const range = writable<DateRange>(reviveRange(storage()?.getItem(KEY) ?? null));

range.subscribe((value) => {
  try {
    storage()?.setItem(KEY, JSON.stringify(value));
  } catch {
    // Storage full or refused: the range simply resets on reload.
  }
});
