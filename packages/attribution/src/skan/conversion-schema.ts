import { COARSE_VALUES, type CoarseValue } from './skan-postback.ts';

/**
 * What an app's conversion values mean: per postback window (0, 1, 2), fine values 0–63 (first
 * window only, as Apple sends them) and coarse low/medium/high, each to a revenue range and/or
 * named events. Managers edit it; the SKAN report reads it to estimate revenue.
 */
export interface ValueMeaning {
  revenue_min?: number;
  revenue_max?: number;
  events?: string[];
}

export interface WindowSchema {
  fine?: Record<string, ValueMeaning>;
  coarse?: Partial<Record<CoarseValue, ValueMeaning>>;
}

export interface SkanSettings {
  currency: string;
  /** keys '0', '1', '2' */
  windows: Record<string, WindowSchema>;
  /** ad-network-id (lower case) → media source; added to the built-in list, overriding it. */
  networks: Record<string, string>;
  /** media source → source identifier → campaign */
  campaigns: Record<string, Record<string, string>>;
}

export const EMPTY_SKAN_SETTINGS: SkanSettings = { currency: 'USD', windows: {}, networks: {}, campaigns: {} };

export class SkanSettingsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'SkanSettingsError';
  }
}

const MAX_NAME = 100;

/** Validates a whole settings document; throws SkanSettingsError naming the first bad field. */
export function normalizeSkanSettings(input: unknown): SkanSettings {
  const o = object(input, 'settings');
  const currency = o.currency ?? 'USD';
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency))
    throw new SkanSettingsError('currency', 'currency must be an ISO 4217 code such as USD.');
  const windows: Record<string, WindowSchema> = {};
  for (const [key, value] of Object.entries(object(o.windows ?? {}, 'windows'))) {
    if (!['0', '1', '2'].includes(key)) throw new SkanSettingsError(`windows.${key}`, 'windows are 0, 1 and 2.');
    windows[key] = normalizeWindow(value, `windows.${key}`, key === '0');
  }
  const networks: Record<string, string> = {};
  for (const [id, source] of Object.entries(object(o.networks ?? {}, 'networks'))) {
    if (id.length === 0 || id.length > 200) throw new SkanSettingsError('networks', 'An ad network id must be 1 to 200 characters.');
    networks[id.toLowerCase()] = name(source, `networks.${id}`);
  }
  const campaigns: Record<string, Record<string, string>> = {};
  for (const [source, ids] of Object.entries(object(o.campaigns ?? {}, 'campaigns'))) {
    const byId: Record<string, string> = {};
    for (const [id, campaign] of Object.entries(object(ids, `campaigns.${source}`))) {
      if (!/^\d{2,4}$/.test(id)) throw new SkanSettingsError(`campaigns.${source}.${id}`, 'A source identifier is 2 to 4 digits.');
      byId[id] = name(campaign, `campaigns.${source}.${id}`);
    }
    campaigns[name(source, 'campaigns')] = byId;
  }
  return { currency, windows, networks, campaigns };
}

function normalizeWindow(input: unknown, field: string, allowFine: boolean): WindowSchema {
  const o = object(input, field);
  const out: WindowSchema = {};
  if (o.fine !== undefined) {
    if (!allowFine) throw new SkanSettingsError(`${field}.fine`, 'Apple sends fine values in the first window only.');
    out.fine = {};
    for (const [value, meaning] of Object.entries(object(o.fine, `${field}.fine`))) {
      const n = Number(value);
      if (!/^\d{1,2}$/.test(value) || n > 63) throw new SkanSettingsError(`${field}.fine.${value}`, 'Fine values are 0 to 63.');
      out.fine[String(n)] = meaning_(meaning, `${field}.fine.${value}`);
    }
  }
  if (o.coarse !== undefined) {
    out.coarse = {};
    for (const [value, meaning] of Object.entries(object(o.coarse, `${field}.coarse`))) {
      if (!COARSE_VALUES.includes(value as CoarseValue))
        throw new SkanSettingsError(`${field}.coarse.${value}`, 'Coarse values are low, medium and high.');
      out.coarse[value as CoarseValue] = meaning_(meaning, `${field}.coarse.${value}`);
    }
  }
  return out;
}

function meaning_(input: unknown, field: string): ValueMeaning {
  const o = object(input, field);
  const out: ValueMeaning = {};
  for (const key of ['revenue_min', 'revenue_max'] as const) {
    const v = o[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1e9)
      throw new SkanSettingsError(`${field}.${key}`, `${key} must be a number from 0 to 1e9.`);
    out[key] = v;
  }
  if (out.revenue_min !== undefined && out.revenue_max !== undefined && out.revenue_max < out.revenue_min) {
    throw new SkanSettingsError(`${field}.revenue_max`, 'revenue_max must not be below revenue_min.');
  }
  if (o.events !== undefined) {
    if (!Array.isArray(o.events) || o.events.length > 20)
      throw new SkanSettingsError(`${field}.events`, 'events must be a list of at most 20 names.');
    out.events = o.events.map((e, i) => name(e, `${field}.events.${i}`));
  }
  return out;
}

function object(input: unknown, field: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new SkanSettingsError(field, `${field} must be a JSON object.`);
  return input as Record<string, unknown>;
}

function name(input: unknown, field: string): string {
  if (typeof input !== 'string' || input.trim().length === 0 || input.length > MAX_NAME) {
    throw new SkanSettingsError(field, `${field} must be a name of 1 to ${MAX_NAME} characters.`);
  }
  return input.trim();
}

/**
 * The meaning of what a postback carried in a window: the fine value if Apple sent one and the
 * schema knows it, else the coarse value. Estimated revenue is the middle of the range (the
 * minimum when only that is set); null when nothing is known — a null conversion value has no
 * meaning to estimate.
 */
export function meaningOf(
  settings: SkanSettings,
  window: number,
  fine: number | null,
  coarse: CoarseValue | null,
): { revenue: number | null; events: string[] } {
  const w = settings.windows[String(window)];
  const m = (fine !== null ? w?.fine?.[String(fine)] : undefined) ?? (coarse !== null ? w?.coarse?.[coarse] : undefined);
  if (!m) return { revenue: null, events: [] };
  const revenue =
    m.revenue_min !== undefined && m.revenue_max !== undefined
      ? (m.revenue_min + m.revenue_max) / 2
      : (m.revenue_min ?? m.revenue_max ?? null);
  return { revenue, events: m.events ?? [] };
}
