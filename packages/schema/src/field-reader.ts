import { jsonKind } from './body-error.ts';
import { type ApiErrorBody, itemError } from './errors.ts';
import { parseIsoTimestamp } from './iso-time.ts';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Length in characters as a person counts them: an emoji is one, not two UTF-16 units. */
export function exceedsCharacters(value: string, max: number): boolean {
  if (value.length <= max) return false;
  if (value.length > max * 2) return true;
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    if (++count > max) return true;
  }
  return false;
}

/**
 * Reads the fields of one wire item. The first problem is recorded rather than thrown, so a
 * batch loop runs without exceptions; readers return a harmless value ('' / undefined) after a
 * failure and the caller checks `error` once at the end. One reader is reused across a batch.
 * Optional fields treat `null` as absent.
 */
export class FieldReader {
  error: ApiErrorBody | undefined = undefined;

  reset(): void {
    this.error = undefined;
  }

  fail(code: string, message: string, details: Record<string, unknown>): void {
    if (this.error === undefined) this.error = itemError(code, message, details);
  }

  missing(field: string, hint: string): void {
    this.fail('missing_field', `\`${field}\` is required: ${hint}.`, { field });
  }

  wrongType(field: string, expected: string, value: unknown): void {
    const received = jsonKind(value);
    this.fail('invalid_type', `\`${field}\` must be ${withArticle(expected)}, not ${received}.`, { field, expected, received });
  }

  requiredString(value: unknown, field: string, hint: string, maxChars = 0): string {
    if (typeof value === 'string') return this.checkString(value, field, maxChars, true);
    if (value === undefined || value === null) this.missing(field, hint);
    else this.wrongType(field, 'string', value);
    return '';
  }

  optionalString(value: unknown, field: string, maxChars = 0): string {
    if (typeof value === 'string') return this.checkString(value, field, maxChars, false);
    if (value !== undefined && value !== null) this.wrongType(field, 'string', value);
    return '';
  }

  /** Segment and PostHog clients may send ids as numbers (analytics.js coerces them); they are stored as text. */
  optionalId(value: unknown, field: string, maxChars = 0): string {
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return this.optionalString(value, field, maxChars);
  }

  /** `undefined` when absent or wrong (the wrong case records an error). */
  optionalObject(value: unknown, field: string): JsonObject | undefined {
    if (isObject(value)) return value;
    if (value !== undefined && value !== null) this.wrongType(field, 'object', value);
    return undefined;
  }

  /** A finite number; `lenient` also takes a numeric string such as "9.99" (Segment/PostHog properties). */
  optionalNumber(value: unknown, field: string, lenient: boolean): number | undefined {
    if (typeof value === 'number') {
      if (Number.isFinite(value)) return value;
      this.fail('invalid_value', `\`${field}\` must be a finite number.`, { field });
      return undefined;
    }
    if (lenient && typeof value === 'string' && value.trim() !== '') {
      const parsed = Number(value);
      if (Number.isFinite(parsed)) return parsed;
      this.fail('invalid_value', `\`${field}\` must be a number; "${clip(value)}" is not one.`, { field });
      return undefined;
    }
    if (value !== undefined && value !== null) this.wrongType(field, 'number', value);
    return undefined;
  }

  /** Epoch ms, or `undefined` when absent or invalid (invalid records `invalid_timestamp`). */
  optionalTimestamp(value: unknown, field: string): number | undefined {
    if (typeof value === 'string') {
      const ms = parseIsoTimestamp(value);
      if (!Number.isNaN(ms)) return ms;
      this.fail(
        'invalid_timestamp',
        `\`${field}\` "${clip(value)}" is not an ISO-8601 date-time with a zone; send e.g. "2024-05-01T12:30:00.000Z".`,
        { field },
      );
      return undefined;
    }
    if (value !== undefined && value !== null) this.wrongType(field, 'ISO-8601 string', value);
    return undefined;
  }

  requiredTimestamp(value: unknown, field: string): number | undefined {
    if (value === undefined || value === null) {
      this.missing(field, 'send the device time of the event as ISO-8601, e.g. "2024-05-01T12:30:00.000Z"');
      return undefined;
    }
    return this.optionalTimestamp(value, field);
  }

  private checkString(value: string, field: string, maxChars: number, required: boolean): string {
    if (required && value.length === 0) {
      this.fail('invalid_value', `\`${field}\` must not be empty.`, { field });
      return '';
    }
    if (maxChars > 0 && exceedsCharacters(value, maxChars)) {
      this.fail('value_too_long', `\`${field}\` is longer than ${maxChars} characters; shorten it.`, { field, max_length: maxChars });
      return '';
    }
    return value;
  }
}

function withArticle(noun: string): string {
  return /^[aeiouAEIOU]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** Echo a bad value back without letting a huge one swell the response. */
export function clip(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
