import { describe, expect, it } from 'vitest';
import { mapArray, parseInt8, parseNumeric, parseTimestamp } from '../src/control/sql-types.ts';

describe('SQL value parsers shared by both adapters', () => {
  it('reads int8 as a number while exact, else keeps the decimal text', () => {
    expect(parseInt8('0')).toBe(0);
    expect(parseInt8('-42')).toBe(-42);
    expect(parseInt8('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseInt8('9007199254740993')).toBe('9007199254740993');
    expect(parseInt8('-9223372036854775808')).toBe('-9223372036854775808');
  });

  it('reads numeric as a number up to 15 significant digits', () => {
    expect(parseNumeric('1.50')).toBe(1.5);
    expect(parseNumeric('-0.000123')).toBe(-0.000123);
    expect(parseNumeric('123456789012345')).toBe(123456789012345);
    expect(parseNumeric('1000000000000000000000')).toBe(1e21);
    expect(parseNumeric('1234567890123456')).toBe('1234567890123456');
    expect(parseNumeric('0.1234567890123456')).toBe('0.1234567890123456');
    expect(parseNumeric('NaN')).toBeNaN();
    expect(parseNumeric('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
  });

  it('reads timestamps in UTC whatever the offset form', () => {
    expect(parseTimestamp('2024-02-29 23:59:58.123456+02')).toEqual(new Date('2024-02-29T21:59:58.123Z'));
    expect(parseTimestamp('2024-01-01 00:00:00-05:30')).toEqual(new Date('2024-01-01T05:30:00.000Z'));
    expect(parseTimestamp('1900-01-01 00:00:00+00:09:21')).toEqual(new Date(Date.UTC(1899, 11, 31, 23, 50, 39)));
    expect(parseTimestamp('2024-06-01 12:00:00.5')).toEqual(new Date('2024-06-01T12:00:00.500Z'));
    expect((parseTimestamp('0050-03-01 00:00:00+00') as Date).getUTCFullYear()).toBe(50);
    expect((parseTimestamp('0044-03-15 00:00:00+00 BC') as Date).getUTCFullYear()).toBe(-43);
    expect(parseTimestamp('infinity')).toBe(Number.POSITIVE_INFINITY);
    expect(() => parseTimestamp('yesterday')).toThrow(/unexpected timestamp/);
  });

  it('maps nested arrays element by element, keeping nulls', () => {
    expect(
      mapArray(
        [
          ['1', null],
          ['3', '4'],
        ],
        parseInt8,
      ),
    ).toEqual([
      [1, null],
      [3, 4],
    ]);
  });
});
