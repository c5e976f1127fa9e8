import { isCurrencyCode } from '@unmogrowp/attribution';
import type { FxRateRow } from '@unmogrowp/storage';
import { type SheetItem, type SheetProblem, type SheetWhere, sheetItemsFromCsv, sheetItemsFromJson } from '../costs/sheet-items.ts';

/**
 * An exchange-rates import (JSON array or CSV, like costs: docs/api.md "Currencies") → the rows to
 * store, or every problem found, each naming its row: `index` (JSON, from 0) or `line` (CSV, the
 * header being line 1). Pure.
 *
 * A row `{date, currency, rate, to_currency?}` says: on that UTC day, one unit of `currency` is
 * worth `rate` units of `to_currency`, which defaults to the app's reporting currency. All or
 * nothing, and a key (date, currency, to_currency) given twice is refused, for the reasons of
 * costs: a half-stored sheet of rates would convert some days and leave others out unnoticed.
 */

export const FX_RATE_FIELDS = ['date', 'currency', 'rate', 'to_currency'] as const;
const REQUIRED = ['date', 'currency', 'rate'] as const;

export const MAX_FX_ROWS = 20_000;
const MAX_PROBLEMS = 50;
/** Far above any real rate (1 BTC in IDR is ~1e9); larger is a typo. */
const MAX_RATE = 1e12;

export type FxRateProblem = SheetProblem;

export type FxRateInput = { ok: true; rows: FxRateRow[] } | { ok: false; problems: FxRateProblem[]; total: number };

type Where = SheetWhere;

type Item = SheetItem;

export function fxRatesFromJson(body: unknown[], reportingCurrency: string): FxRateInput {
  return check(sheetItemsFromJson(body), reportingCurrency, 'The JSON body is an empty array; send at least one row.');
}

export function fxRatesFromCsv(text: string, reportingCurrency: string): FxRateInput {
  const sheet = sheetItemsFromCsv(text, FX_RATE_FIELDS, REQUIRED);
  return 'problems' in sheet ? refuse(sheet.problems) : check(sheet.items, reportingCurrency, 'The CSV file has a header but no rows.');
}

function check(items: Item[], reportingCurrency: string, emptyMessage: string): FxRateInput {
  if (items.length === 0) return refuse([{ problem: emptyMessage }]);
  if (items.length > MAX_FX_ROWS) return refuse([{ problem: `${items.length} rows; at most ${MAX_FX_ROWS} per import: split the file` }]);
  const problems: FxRateProblem[] = [];
  const rows: FxRateRow[] = [];
  const seen = new Map<string, Where>();
  for (const item of items) {
    const found = item.shape ? [{ ...item.where, problem: item.shape }] : checkRow(item, reportingCurrency);
    if (found.length > 0) {
      problems.push(...found);
      continue;
    }
    const row = toRow(item, reportingCurrency);
    const key = JSON.stringify([row.date, row.currency, row.to_currency]);
    const earlier = seen.get(key);
    if (earlier) problems.push({ ...item.where, problem: `repeats the date, currency and to_currency of ${describe(earlier)}` });
    else {
      seen.set(key, item.where);
      rows.push(row);
    }
  }
  return problems.length > 0 ? refuse(problems) : { ok: true, rows };
}

function checkRow(item: Item, reportingCurrency: string): FxRateProblem[] {
  const { where, value } = item;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [{ ...where, problem: 'must be an object {date, currency, rate, to_currency?}' }];
  const o = value as Record<string, unknown>;
  const problems: FxRateProblem[] = [];
  const bad = (field: string, problem: string) => problems.push({ ...where, field, problem });
  for (const key of Object.keys(o))
    if (!(FX_RATE_FIELDS as readonly string[]).includes(key)) bad(key, `unknown field; use ${FX_RATE_FIELDS.join(', ')}`);
  if (!isDay(text(o['date']))) bad('date', 'must be a day YYYY-MM-DD (UTC) between 1970-01-01 and 2149-06-06');
  const currency = code(o['currency']);
  if (currency === null) bad('currency', 'must be an ISO 4217 currency code, like EUR or GBP');
  const to = isBlank(o['to_currency']) ? reportingCurrency : code(o['to_currency']);
  if (to === null) bad('to_currency', "must be an ISO 4217 currency code, or left out for the app's reporting currency");
  if (currency !== null && currency === to) bad('currency', `is the currency it would be converted into (${to}); leave such rows out`);
  if (rate(o['rate'], item.fromText) === null)
    bad(
      'rate',
      item.fromText
        ? 'must be a number > 0 written like 1.0842 (no thousands separator)'
        : `must be a JSON number greater than 0 and at most ${MAX_RATE}`,
    );
  return problems;
}

function toRow(item: Item, reportingCurrency: string): FxRateRow {
  const o = item.value as Record<string, unknown>;
  return {
    date: text(o['date'])!,
    currency: code(o['currency'])!,
    to_currency: isBlank(o['to_currency']) ? reportingCurrency : code(o['to_currency'])!,
    rate: rate(o['rate'], item.fromText)!,
  };
}

/** Trimmed text; control characters make it invalid. */
function text(value: unknown): string | null {
  return typeof value === 'string' && !/\p{Cc}/u.test(value.trim()) ? value.trim() : null;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** An ISO-4217 code in any case, as capitals; null when not a known code. */
function code(value: unknown): string | null {
  const t = text(value)?.toUpperCase() ?? null;
  return t !== null && isCurrencyCode(t) ? t : null;
}

function rate(value: unknown, fromText: boolean): number | null {
  let n: number;
  if (fromText) {
    const t = text(value);
    if (t === null || !/^\d+(\.\d+)?$/.test(t)) return null;
    n = Number(t);
  } else {
    if (typeof value !== 'number') return null;
    n = value;
  }
  return Number.isFinite(n) && n > 0 && n <= MAX_RATE ? n : null;
}

function isDay(value: string | null): boolean {
  const m = value === null ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === value && ms >= 0 && ms <= Date.UTC(2149, 5, 6);
}

function describe(where: Where): string {
  return 'index' in where ? `index ${where.index}` : `line ${where.line}`;
}

function refuse(problems: FxRateProblem[]): FxRateInput {
  return { ok: false, problems: problems.slice(0, MAX_PROBLEMS), total: problems.length };
}
