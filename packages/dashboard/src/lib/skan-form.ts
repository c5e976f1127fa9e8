import type { SkanSettings, ValueMeaning } from './api/skan.api.ts';

/**
 * The schema editor's form state ↔ the settings document. Revenue fields are text so an empty
 * box means "not set"; events are comma-separated; fine values are rows the user adds.
 */
export interface MeaningRow {
  min: string;
  max: string;
  events: string;
}
export interface FineRow extends MeaningRow {
  value: string;
}
export interface SkanForm {
  currency: string;
  coarse: Record<'0' | '1' | '2', Record<'low' | 'medium' | 'high', MeaningRow>>;
  fine: FineRow[];
  /** one "ad-network-id = media source" per line */
  networks: string;
  /** one "media source / source id = campaign" per line */
  campaigns: string;
}

export const WINDOWS = ['0', '1', '2'] as const;
export const COARSE = ['low', 'medium', 'high'] as const;

const toRow = (m: ValueMeaning | undefined): MeaningRow => ({
  min: m?.revenue_min === undefined ? '' : String(m.revenue_min),
  max: m?.revenue_max === undefined ? '' : String(m.revenue_max),
  events: (m?.events ?? []).join(', '),
});

export function formOf(s: SkanSettings): SkanForm {
  const coarse = {} as SkanForm['coarse'];
  for (const w of WINDOWS) {
    coarse[w] = {
      low: toRow(s.windows[w]?.coarse?.low),
      medium: toRow(s.windows[w]?.coarse?.medium),
      high: toRow(s.windows[w]?.coarse?.high),
    };
  }
  const fine = Object.entries(s.windows['0']?.fine ?? {})
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([value, m]) => ({ value, ...toRow(m) }));
  const networks = Object.entries(s.networks)
    .map(([id, source]) => `${id} = ${source}`)
    .join('\n');
  const campaigns = Object.entries(s.campaigns)
    .flatMap(([source, ids]) => Object.entries(ids).map(([id, name]) => `${source} / ${id} = ${name}`))
    .join('\n');
  return { currency: s.currency, coarse, fine, networks, campaigns };
}

function meaning(row: MeaningRow): ValueMeaning | null {
  const out: ValueMeaning = {};
  if (row.min.trim() !== '') out.revenue_min = Number(row.min);
  if (row.max.trim() !== '') out.revenue_max = Number(row.max);
  const events = row.events
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (events.length > 0) out.events = events;
  return Object.keys(out).length > 0 ? out : null;
}

/** The document to PUT; the server checks every value and names the field it refuses. */
export function settingsOf(form: SkanForm): SkanSettings {
  const windows: SkanSettings['windows'] = {};
  for (const w of WINDOWS) {
    const coarse: Record<string, ValueMeaning> = {};
    for (const c of COARSE) {
      const m = meaning(form.coarse[w][c]);
      if (m) coarse[c] = m;
    }
    if (Object.keys(coarse).length > 0) windows[w] = { coarse };
  }
  const fine: Record<string, ValueMeaning> = {};
  for (const row of form.fine) {
    const m = meaning(row);
    if (m && row.value.trim() !== '') fine[row.value.trim()] = m;
  }
  if (Object.keys(fine).length > 0) windows['0'] = { ...windows['0'], fine };
  const networks: Record<string, string> = {};
  for (const line of form.networks.split('\n')) {
    const [id, source] = line.split('=').map((p) => p.trim());
    if (id && source) networks[id] = source;
  }
  const campaigns: Record<string, Record<string, string>> = {};
  for (const line of form.campaigns.split('\n')) {
    const [left, name] = line.split('=').map((p) => p.trim());
    const [source, id] = (left ?? '').split('/').map((p) => p.trim());
    if (!source || !id || !name) continue;
    campaigns[source] = { ...campaigns[source], [id]: name };
  }
  return { currency: form.currency.trim().toUpperCase() || 'USD', windows, networks, campaigns };
}
