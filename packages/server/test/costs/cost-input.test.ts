import { describe, expect, it } from 'vitest';
import { costsFromCsv, costsFromJson, MAX_PROBLEMS } from '../../src/api/costs/cost-input.ts';
import { CsvSyntaxError, parseCsv } from '../../src/api/costs/csv-records.ts';

describe('parseCsv', () => {
  it('reads RFC 4180: quotes, doubled quotes, commas and line breaks inside quotes, CRLF or LF', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n"multi\nline",\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['multi\nline', ''] },
    ]);
  });

  it('skips a BOM and blank lines, keeps the file line numbers, reads a last line without a newline', () => {
    expect(parseCsv('\uFEFFh\n\n\r\nv1\nv2')).toEqual([
      { line: 1, fields: ['h'] },
      { line: 4, fields: ['v1'] },
      { line: 5, fields: ['v2'] },
    ]);
  });

  it('names the line of an unclosed quote or of text after a closing quote', () => {
    expect(() => parseCsv('a\n"open\nstill')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a\n"open\nstill')).toThrow(/line 2/);
    expect(() => parseCsv('a\n"x"y,1')).toThrow(/line 2: text follows/);
  });
});

describe('costs input', () => {
  const row = { date: '2026-06-01', media_source: 'meta', campaign: 'spring', cost: 12.5, currency: 'usd' };

  it('JSON rows → store rows: trimmed, currency upper-cased, campaign optional', () => {
    expect(costsFromJson([row, { date: '2026-06-01', media_source: ' google ', cost: 0, currency: 'EUR' }])).toEqual({
      ok: true,
      rows: [
        { date: '2026-06-01', media_source: 'meta', campaign: 'spring', cost: 12.5, currency: 'USD' },
        { date: '2026-06-01', media_source: 'google', campaign: '', cost: 0, currency: 'EUR' },
      ],
    });
  });

  it('lists every problem, each with its index and field', () => {
    const result = costsFromJson([row, 'x', { ...row, date: '2026-02-30', cost: -1 }, { ...row, cost: 1 }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.index, p.field ?? null])).toEqual([
      [1, null],
      [2, 'date'],
      [2, 'cost'],
      [3, null], // same key as index 0
    ]);
  });

  it('CSV: columns by header name in any order and case; cost as a plain decimal', () => {
    const result = costsFromCsv('Currency,COST,date,media_source\nUSD,1234.56,2026-06-01,meta\n');
    expect(result).toEqual({
      ok: true,
      rows: [{ date: '2026-06-01', media_source: 'meta', campaign: '', cost: 1234.56, currency: 'USD' }],
    });
    for (const cost of ['1,234.56', '$5', '-1', '1e3', '']) {
      const bad = costsFromCsv(`date,media_source,cost,currency\n2026-06-01,meta,"${cost}",USD\n`);
      expect(bad.ok ? null : bad.problems[0], cost).toMatchObject({ line: 2, field: 'cost' });
    }
  });

  it('CSV: a row with the wrong number of fields, a syntax error, a bad header', () => {
    const short = costsFromCsv('date,media_source,cost,currency\n2026-06-01,meta,1\n');
    expect(short.ok ? null : short.problems).toEqual([{ line: 2, problem: 'has 3 fields; the header has 4' }]);
    const syntax = costsFromCsv('date,media_source,cost,currency\n"2026-06-01,meta,1,USD\n');
    expect(syntax.ok ? null : syntax.problems[0]).toMatchObject({ line: 2 });
    const twice = costsFromCsv('date,date,media_source,cost,currency\n');
    expect(twice.ok ? null : twice.problems).toEqual([{ line: 1, field: 'date', problem: 'column named twice' }]);
  });

  it('caps the listed problems but reports the total', () => {
    const lines = Array.from({ length: 80 }, () => 'not-a-day,meta,1,USD').join('\n');
    const result = costsFromCsv(`date,media_source,cost,currency\n${lines}\n`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(MAX_PROBLEMS);
    expect(result.total).toBe(80);
  });
});
