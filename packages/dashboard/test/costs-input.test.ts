import { describe, expect, it } from 'vitest';
import { CSV_EXAMPLE, detectFormat, previewCosts, splitCsvLine, totalsByCurrency } from '../src/lib/costs-input.ts';

describe('costs preview', () => {
  it('reads the example CSV, with an empty campaign as none', () => {
    const p = previewCosts(CSV_EXAMPLE);
    expect(p.format).toBe('csv');
    expect(p.errors).toEqual([]);
    expect(p.rows).toHaveLength(2);
    expect(p.rows[1]).toEqual({ date: '2026-11-01', media_source: 'googleadwords_int', campaign: null, cost: 830, currency: 'USD' });
    expect(totalsByCurrency(p.rows)).toEqual([{ currency: 'USD', total: 2080.5 }]);
  });

  it('takes columns in any order and quoted commas', () => {
    const p = previewCosts('cost,currency,date,media_source,campaign\n"1,5",EUR,2026-11-02,net,"a ""b"""');
    expect(p.errors).toHaveLength(1); // "1,5" is not a number: the API would refuse it too
    const ok = previewCosts('Cost,Currency,Date,Media_Source,Campaign\n1.5,EUR,2026-11-02,net,"a, ""b"""');
    expect(ok.rows[0]).toMatchObject({ cost: 1.5, campaign: 'a, "b"' });
  });

  it('names the line and the problem', () => {
    const p = previewCosts('date,media_source,cost,currency\n2026-13-01,net,-1,usd');
    expect(p.rows).toEqual([]);
    expect(p.errors[0]).toMatch(/^Line 2: .*date.*cost.*currency/);
  });

  it('requires the header columns', () => {
    expect(previewCosts('2026-11-01,net,5,USD').errors[0]).toMatch(/missing: date, media_source, cost, currency/);
  });

  it('checks JSON arrays item by item', () => {
    const p = previewCosts(
      JSON.stringify([
        { date: '2026-11-01', media_source: 'net', cost: 10, currency: 'USD' },
        { date: '2026-11-01', cost: 10, currency: 'USD' },
      ]),
    );
    expect(p.format).toBe('json');
    expect(p.rows).toHaveLength(1);
    expect(p.errors).toEqual(['Item 2: media_source is missing.']);
    expect(previewCosts('{"date": 1}').errors[0]).toMatch(/JSON array/);
    expect(previewCosts('[oops').errors).toEqual(['This is not valid JSON.']);
  });

  it('detects the format from the first character', () => {
    expect(detectFormat('  [ ]')).toBe('json');
    expect(detectFormat('date,cost')).toBe('csv');
    expect(splitCsvLine('a, "b,c" ,d')).toEqual(['a', 'b,c', 'd']);
  });
});
