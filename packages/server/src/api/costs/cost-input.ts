import type { CostRow } from '@unmogrowp/storage';
import { type SheetItem, type SheetProblem, type SheetWhere, sheetItemsFromCsv, sheetItemsFromJson } from './sheet-items.ts';

/**
 * A costs import (JSON array or CSV) → the rows to store, or every problem found, each naming
 * its row: `index` (position in the JSON array, from 0) or `line` (line of the CSV file, the
 * header being line 1). Pure.
 *
 * All or nothing: one bad row refuses the whole import. Spend feeds ROAS and eCPI, and a sheet
 * stored in part would skew them without anyone noticing; the import is idempotent, so sending
 * the corrected file again is safe. For the same reason a key (date, media_source, campaign)
 * given twice in one import is refused rather than silently overwritten: spend of two accounts
 * must be summed by whoever knows that it should be.
 */

export const COST_FIELDS = ['date', 'media_source', 'campaign', 'cost', 'currency'] as const;
const REQUIRED = ['date', 'media_source', 'cost', 'currency'] as const;

export const MAX_COST_ROWS = 20_000;
/** Problems listed in one answer; a file wrong on every line does not need 20 000 of them. */
export const MAX_PROBLEMS = 50;
const MAX_TEXT = 200;
/** More than any real day of spend; larger is a typo (or cents in a field meant for units). */
const MAX_COST = 1e12;

export type CostProblem = SheetProblem;

export type CostInput = { ok: true; rows: CostRow[] } | { ok: false; problems: CostProblem[]; total: number };

type Where = SheetWhere;

export function costsFromJson(body: unknown[]): CostInput {
  return check(sheetItemsFromJson(body), 'The JSON body is an empty array; send at least one row.');
}

export function costsFromCsv(text: string): CostInput {
  const sheet = sheetItemsFromCsv(text, COST_FIELDS, REQUIRED);
  return 'problems' in sheet ? refuse(sheet.problems) : check(sheet.items, 'The CSV file has a header but no rows.');
}

/** A row of the sheet; from CSV, `cost` is a decimal in text. */
type Item = SheetItem;

function check(items: Item[], emptyMessage: string): CostInput {
  if (items.length === 0) return refuse([{ problem: emptyMessage }]);
  if (items.length > MAX_COST_ROWS)
    return refuse([{ problem: `${items.length} rows; at most ${MAX_COST_ROWS} per import: split the file` }]);
  const problems: CostProblem[] = [];
  const rows: CostRow[] = [];
  const seen = new Map<string, Where>();
  for (const item of items) {
    const found = item.shape ? [{ ...item.where, problem: item.shape }] : checkRow(item);
    if (found.length > 0) {
      problems.push(...found);
      continue;
    }
    const row = toRow(item);
    const key = JSON.stringify([row.date, row.media_source, row.campaign]);
    const earlier = seen.get(key);
    if (earlier) {
      problems.push({
        ...item.where,
        problem: `repeats the date, media_source and campaign of ${describe(earlier)}; one row per day, source and campaign (sum them first)`,
      });
    } else {
      seen.set(key, item.where);
      rows.push(row);
    }
  }
  return problems.length > 0 ? refuse(problems) : { ok: true, rows };
}

function checkRow(item: Item): CostProblem[] {
  const { where, value } = item;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [{ ...where, problem: 'must be an object {date, media_source, campaign?, cost, currency}' }];
  const o = value as Record<string, unknown>;
  const problems: CostProblem[] = [];
  const bad = (field: string, problem: string) => problems.push({ ...where, field, problem });
  for (const key of Object.keys(o))
    if (!(COST_FIELDS as readonly string[]).includes(key)) bad(key, `unknown field; use ${COST_FIELDS.join(', ')}`);
  if (!isDay(text(o['date']))) bad('date', 'must be a day YYYY-MM-DD (UTC) between 1970-01-01 and 2149-06-06');
  const source = text(o['media_source']);
  if (source === null || source === '' || source.length > MAX_TEXT) bad('media_source', `must be text of 1 to ${MAX_TEXT} characters`);
  const campaign = o['campaign'] === undefined || o['campaign'] === null ? '' : text(o['campaign']);
  if (campaign === null || campaign.length > MAX_TEXT) bad('campaign', `must be text of at most ${MAX_TEXT} characters, or left out`);
  if (amount(o['cost'], item.fromText) === null)
    bad(
      'cost',
      item.fromText
        ? 'must be a number ≥ 0 written like 1234.56 (no currency sign, no thousands separator)'
        : `must be a JSON number from 0 to ${MAX_COST}`,
    );
  if (!/^[A-Za-z]{3}$/.test(text(o['currency']) ?? '')) bad('currency', 'must be a three-letter ISO 4217 code, like USD or EUR');
  return problems;
}

/** The row as stored; only called on rows checkRow passed. */
function toRow(item: Item): CostRow {
  const o = item.value as Record<string, unknown>;
  return {
    date: text(o['date'])!,
    media_source: text(o['media_source'])!,
    campaign: o['campaign'] === undefined || o['campaign'] === null ? '' : text(o['campaign'])!,
    cost: amount(o['cost'], item.fromText)!,
    currency: text(o['currency'])!.toUpperCase(),
  };
}

/** Text trimmed (spreadsheets pad cells), or null when not text. */
/** Trimmed text; control characters (NUL included) make it invalid: they only come from broken files or probes. */
function text(value: unknown): string | null {
  return typeof value === 'string' && !/\p{Cc}/u.test(value.trim()) ? value.trim() : null;
}

function amount(value: unknown, fromText: boolean): number | null {
  let n: number;
  if (fromText) {
    const t = text(value);
    if (t === null || !/^\d+(\.\d+)?$/.test(t)) return null;
    n = Number(t);
  } else {
    if (typeof value !== 'number') return null;
    n = value;
  }
  return Number.isFinite(n) && n >= 0 && n <= MAX_COST ? n : null;
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

function refuse(problems: CostProblem[]): CostInput {
  return { ok: false, problems: problems.slice(0, MAX_PROBLEMS), total: problems.length };
}
