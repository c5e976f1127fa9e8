import { describe, expect, it } from 'vitest';
import { moneyOf, toAttributionRow } from '../src/lib/api/analytics.api.ts';
import { totalsLines } from '../src/lib/attribution-table.ts';
import { formatMoney } from '../src/lib/format.ts';

describe('money on screen', () => {
  it('every amount carries its currency code; undefined stays a dash', () => {
    expect(formatMoney(1234.5, 'EUR')).toBe('1,234.50 EUR');
    expect(formatMoney(0, 'USD')).toBe('0.00 USD');
    expect(formatMoney(null, 'USD')).toBe('—');
    expect(formatMoney(12)).toBe('12.00');
  });

  it("reads an answer's currency and the days it has no rate for", () => {
    expect(moneyOf({ currency: 'EUR', missing_rates: [{ currency: 'JPY', from: '2026-06-01', to: '2026-06-02' }] })).toEqual({
      currency: 'EUR',
      missing_rates: [{ currency: 'JPY', from: '2026-06-01', to: '2026-06-02' }],
    });
    expect(moneyOf({})).toEqual({ currency: '', missing_rates: [] });
  });

  it('re-engagements and re-attributions are read per row and summed in the foot lines', () => {
    const rows = [
      toAttributionRow({ media_source: 'meta', installs: 3, reengagements: 5, reattributions: '2' }),
      toAttributionRow({ media_source: 'google', installs: 1, reengagements: 1, reattributions: 0 }),
      toAttributionRow({ media_source: 'organic', installs: 9 }),
    ];
    const t = totalsLines(rows);
    expect([t.paid.reengagements, t.paid.reattributions]).toEqual([6, 2]);
    expect(t.organic).toMatchObject({ reengagements: 0, reattributions: 0 });
  });
});
