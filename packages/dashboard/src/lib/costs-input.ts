/**
 * Checks pasted ad spend before it is sent (docs/api.md: `POST …/costs` takes
 * `[{date, media_source, campaign?, cost, currency}]` as JSON or CSV), so mistakes show per line
 * instead of as one server error. The text itself is sent unchanged; the API stays the judge.
 */
export type CostsFormat = 'json' | 'csv';

export interface CostRow {
  date: string;
  media_source: string;
  campaign: string | null;
  cost: number;
  currency: string;
}

export interface CostsPreview {
  format: CostsFormat;
  rows: CostRow[];
  errors: string[];
}

const REQUIRED = ['date', 'media_source', 'cost', 'currency'] as const;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const CURRENCY_RE = /^[A-Z]{3}$/;

export const CSV_EXAMPLE =
  'date,media_source,campaign,cost,currency\n2026-11-01,facebook_ads,black_friday,1250.50,USD\n2026-11-01,googleadwords_int,,830,USD';

/**
 * The example, with the media sources this app really has (its links'), so pasting it and
 * changing the numbers lines spend up with installs; the generic one when it has none.
 */
export function costsExample(mediaSources: readonly string[], today = new Date()): string {
  const sources = [...new Set(mediaSources.filter((s) => s !== '' && s !== 'organic' && !/[",\n]/.test(s)))].slice(0, 3);
  if (sources.length === 0) return CSV_EXAMPLE;
  const day = new Date(today.getTime() - 86_400_000).toISOString().slice(0, 10);
  return ['date,media_source,campaign,cost,currency', ...sources.map((s, i) => `${day},${s},,${(100 * (i + 1)).toFixed(2)},USD`)].join(
    '\n',
  );
}

export function detectFormat(text: string): CostsFormat {
  const first = text.trimStart()[0];
  return first === '[' || first === '{' ? 'json' : 'csv';
}

/** RFC 4180 fields: commas inside quotes, "" for a quote. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

function checkRow(raw: Record<string, unknown>, where: string, errors: string[]): CostRow | null {
  const date = String(raw['date'] ?? '').trim();
  const source = String(raw['media_source'] ?? '').trim();
  const campaign = raw['campaign'] === undefined || raw['campaign'] === null ? '' : String(raw['campaign']).trim();
  const costText = String(raw['cost'] ?? '').trim();
  const cost = costText === '' ? Number.NaN : Number(costText);
  const currency = String(raw['currency'] ?? '').trim();
  const problems: string[] = [];
  if (!DAY_RE.test(date) || !Number.isFinite(Date.parse(`${date}T00:00:00Z`))) problems.push('date must be YYYY-MM-DD');
  if (source === '') problems.push('media_source is missing');
  if (!Number.isFinite(cost) || cost < 0) problems.push('cost must be a number ≥ 0');
  if (!CURRENCY_RE.test(currency)) problems.push('currency must be a 3-letter code like USD');
  if (problems.length > 0) {
    errors.push(`${where}: ${problems.join('; ')}.`);
    return null;
  }
  return { date, media_source: source, campaign: campaign === '' ? null : campaign, cost, currency };
}

function previewCsv(text: string): CostsPreview {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const errors: string[] = [];
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    return { format: 'csv', rows: [], errors: [`The first line must name the columns; missing: ${missing.join(', ')}.`] };
  }
  const rows: CostRow[] = [];
  lines.slice(1).forEach((line, i) => {
    const cells = splitCsvLine(line);
    const raw: Record<string, string> = {};
    header.forEach((name, j) => {
      raw[name] = cells[j] ?? '';
    });
    const row = checkRow(raw, `Line ${i + 2}`, errors);
    if (row) rows.push(row);
  });
  if (lines.length < 2) errors.push('Add at least one line of costs under the header.');
  return { format: 'csv', rows, errors };
}

function previewJson(text: string): CostsPreview {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { format: 'json', rows: [], errors: ['This is not valid JSON.'] };
  }
  if (!Array.isArray(parsed))
    return { format: 'json', rows: [], errors: ['Send a JSON array: [{"date": …, "media_source": …, "cost": …, "currency": …}].'] };
  const errors: string[] = [];
  const rows: CostRow[] = [];
  parsed.forEach((item, i) => {
    if (typeof item !== 'object' || item === null) {
      errors.push(`Item ${i + 1}: must be an object.`);
      return;
    }
    const row = checkRow(item as Record<string, unknown>, `Item ${i + 1}`, errors);
    if (row) rows.push(row);
  });
  if (parsed.length === 0) errors.push('The array is empty.');
  return { format: 'json', rows, errors };
}

export function previewCosts(text: string): CostsPreview {
  if (text.trim() === '') return { format: 'csv', rows: [], errors: [] };
  return detectFormat(text) === 'json' ? previewJson(text) : previewCsv(text);
}

/** Spend per currency, for the preview's summary line. */
export function totalsByCurrency(rows: readonly CostRow[]): { currency: string; total: number }[] {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.currency, (totals.get(r.currency) ?? 0) + r.cost);
  return [...totals.entries()].map(([currency, total]) => ({ currency, total }));
}
