import { type ApiErrorBody, itemError } from './errors.ts';
import { MAX_EVENT_BYTES } from './limits.ts';

/** Deeper than this, the cheap bound gives up and the exact measure decides. */
const MAX_BOUND_DEPTH = 64;
const GIVE_UP = Number.POSITIVE_INFINITY;

/**
 * `event_too_large` when `item` serialized as JSON exceeds MAX_EVENT_BYTES of UTF-8, else
 * undefined. Most events are far below the limit: a cheap upper bound (no string building)
 * clears them, and only the rest pay for one JSON.stringify + byte count.
 */
export function checkItemSize(item: unknown): ApiErrorBody | undefined {
  if (upperBoundBytes(item, MAX_EVENT_BYTES, 0) <= MAX_EVENT_BYTES) return undefined;
  let json: string | undefined;
  try {
    json = JSON.stringify(item);
  } catch {
    // Only nesting deep enough to exhaust the stack gets here (JSON bodies hold nothing else unserializable).
    return itemError('invalid_value', 'This event is nested too deeply to store; flatten its properties.', { field: '$' });
  }
  const bytes = json === undefined ? 0 : Buffer.byteLength(json, 'utf8');
  return bytes > MAX_EVENT_BYTES ? eventTooLarge(bytes) : undefined;
}

/**
 * An upper bound of the UTF-8 JSON size, stopping as soon as it passes `budget`: a string's UTF-16
 * unit is at most 6 bytes in JSON (a `\u001f` escape), a number under 32 characters.
 */
function upperBoundBytes(value: unknown, budget: number, depth: number): number {
  switch (typeof value) {
    case 'string':
      return value.length * 6 + 2;
    case 'number':
      return 32;
    case 'boolean':
      return 5;
    case 'object': {
      if (value === null) return 4;
      if (depth > MAX_BOUND_DEPTH) return GIVE_UP;
      let total = 2;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length && total <= budget; i++) total += upperBoundBytes(value[i], budget - total, depth + 1) + 1;
        return total;
      }
      const record = value as Record<string, unknown>;
      for (const key in record) {
        total += key.length * 6 + 4 + upperBoundBytes(record[key], budget - total, depth + 1);
        if (total > budget) return total;
      }
      return total;
    }
    default:
      return 0;
  }
}

export function eventTooLarge(bytes: number): ApiErrorBody {
  return itemError(
    'event_too_large',
    `This event is ${bytes} bytes as JSON; the limit is ${MAX_EVENT_BYTES} bytes (32 KB). Move large values out of properties.`,
    { max_bytes: MAX_EVENT_BYTES, bytes },
  );
}
