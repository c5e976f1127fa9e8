import { describe, expect, it } from 'vitest';
import { fxRatesFromCsv, fxRatesFromJson, MAX_FX_ROWS } from '../../src/api/fx-rates/fx-rate-input.ts';

describe('exchange rates input', () => {
  it('JSON: codes in capitals, to_currency defaults to the reporting currency', () => {
    expect(
      fxRatesFromJson(
        [
          { date: '2026-06-01', currency: 'eur', rate: 1.0842 },
          { date: '2026-06-01', currency: 'USD', rate: 0.5, to_currency: 'gbp' },
        ],
        'USD',
      ),
    ).toEqual({
      ok: true,
      rows: [
        { date: '2026-06-01', currency: 'EUR', to_currency: 'USD', rate: 1.0842 },
        { date: '2026-06-01', currency: 'USD', to_currency: 'GBP', rate: 0.5 },
      ],
    });
  });

  it('CSV: header in any case and order, optional to_currency column, blank cell = reporting currency', () => {
    const input = fxRatesFromCsv('Rate,Currency,Date,To_Currency\r\n1.25,EUR,2026-06-01,\r\n2,gbp,2026-06-02,EUR\r\n', 'USD');
    expect(input).toEqual({
      ok: true,
      rows: [
        { date: '2026-06-01', currency: 'EUR', to_currency: 'USD', rate: 1.25 },
        { date: '2026-06-02', currency: 'GBP', to_currency: 'EUR', rate: 2 },
      ],
    });
  });

  it('refuses the whole import, naming each problem by index or line', () => {
    const json = fxRatesFromJson(
      [{ date: '2026-13-01', currency: 'XYZ', rate: -1 }, 'row', { date: '2026-06-01', currency: 'EUR', rate: '1.2' }],
      'USD',
    );
    expect(json).toMatchObject({ ok: false, total: 5 });
    if (json.ok) return;
    expect(json.problems.map((p) => [p.index, p.field])).toEqual([
      [0, 'date'],
      [0, 'currency'],
      [0, 'rate'],
      [1, undefined],
      [2, 'rate'], // JSON rates are numbers, not text
    ]);
    const csv = fxRatesFromCsv('date,currency,rate\n2026-06-01,EUR,1,5\n2026-06-01,EUR,1e3\n2026-06-01,EUR,0\n', 'USD');
    expect(csv.ok).toBe(false);
    if (csv.ok) return;
    expect(csv.problems.map((p) => p.line)).toEqual([2, 3, 4]);
  });

  it('refuses a rate of the reporting currency into itself, and a repeated day and pair', () => {
    const same = fxRatesFromJson([{ date: '2026-06-01', currency: 'USD', rate: 1 }], 'USD');
    expect(same).toMatchObject({ ok: false, problems: [{ index: 0, field: 'currency' }] });
    const twice = fxRatesFromCsv('date,currency,rate\n2026-06-01,EUR,1.2\n2026-06-01,eur,1.3\n', 'USD');
    expect(twice).toMatchObject({ ok: false, problems: [{ line: 3 }] });
  });

  it('refuses unknown and missing columns, an empty file and too many rows', () => {
    expect(fxRatesFromCsv('date,currency,price\n', 'USD')).toMatchObject({
      ok: false,
      problems: [
        { line: 1, field: 'price' },
        { line: 1, field: 'rate' },
      ],
    });
    expect(fxRatesFromCsv('', 'USD')).toMatchObject({ ok: false });
    expect(fxRatesFromJson([], 'USD')).toMatchObject({ ok: false });
    const many = Array.from({ length: MAX_FX_ROWS + 1 }, () => ({ date: '2026-06-01', currency: 'EUR', rate: 1 }));
    expect(fxRatesFromJson(many, 'USD')).toMatchObject({ ok: false, total: 1 });
  });
});
