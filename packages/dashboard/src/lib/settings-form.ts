import type { AttributionSettings, SettingsAnswer } from './api/settings.api.ts';

/**
 * The app's attribution settings as the settings screen edits them (docs/attribution-rules.md).
 * Each setting is named by the dotted path the API uses in its error details
 * (`fraud.ctit_min_seconds`), so a refusal lands next to its field. No number here is a rule:
 * defaults and limits come from `GET /api/apps/:app_id/settings`, and the server decides.
 */
export const NUMBER_SETTINGS = [
  'click_window_hours',
  'view_window_hours',
  'probabilistic_window_hours',
  'reattribution_window_days',
  'reengagement_window_days',
  'retention_days',
  'fraud.ctit_min_seconds',
  'fraud.click_flood_max_per_hour',
] as const;
export const TOGGLE_SETTINGS = [
  'probabilistic_enabled',
  'fraud.ctit_enabled',
  'fraud.click_injection_enabled',
  'fraud.click_flood_enabled',
  'fraud.blocked_ip_enabled',
] as const;
export const BLOCKED_CIDRS = 'fraud.blocked_cidrs';

export type NumberSetting = (typeof NUMBER_SETTINGS)[number];
export type ToggleSetting = (typeof TOGGLE_SETTINGS)[number];
export type SettingPath = NumberSetting | ToggleSetting | typeof BLOCKED_CIDRS;

/** What the fields hold: numbers as the input gives them (a number, or null/'' when empty), the block list as typed. */
export interface SettingsForm {
  numbers: Record<NumberSetting, number | string | null>;
  toggles: Record<ToggleSetting, boolean>;
  blockedCidrs: string;
}

type Value = number | boolean | string[];

/** The value at a dotted path of the settings (`fraud.ctit_min_seconds`). */
export function settingAt(settings: AttributionSettings, path: SettingPath): Value {
  if (path.startsWith('fraud.')) return settings.fraud[path.slice('fraud.'.length) as keyof AttributionSettings['fraud']];
  return settings[path as Exclude<keyof AttributionSettings, 'fraud'>];
}

export function formFromSettings(settings: AttributionSettings): SettingsForm {
  return {
    numbers: Object.fromEntries(NUMBER_SETTINGS.map((p) => [p, settingAt(settings, p) as number])) as SettingsForm['numbers'],
    toggles: Object.fromEntries(TOGGLE_SETTINGS.map((p) => [p, settingAt(settings, p) as boolean])) as SettingsForm['toggles'],
    blockedCidrs: settings.fraud.blocked_cidrs.join('\n'),
  };
}

/** One range per line; commas and spaces separate too, so a pasted list works. */
export function parseCidrList(text: string): string[] {
  return text.split(/[\s,;]+/).filter((entry) => entry !== '');
}

/**
 * What the field holds, as sent: a whole-looking number as a number, an empty field as null, and
 * anything else unchanged. The server refuses what is not a whole number in range, in its words.
 */
function typed(value: number | string | null): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value === null || value.trim() === '') return null;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : value;
}

function put(patch: Record<string, unknown>, path: SettingPath, value: unknown): void {
  if (!path.startsWith('fraud.')) {
    patch[path] = value;
    return;
  }
  const fraud = (patch['fraud'] ?? {}) as Record<string, unknown>;
  fraud[path.slice('fraud.'.length)] = value;
  patch['fraud'] = fraud;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The `settings` of a `PATCH /api/apps/:app_id` body: only what differs from `saved` among
 * `paths` (the API merges, so a setting another manager changed meanwhile is kept). Empty when
 * nothing changed.
 */
export function settingsPatch(saved: AttributionSettings, form: SettingsForm, paths: readonly SettingPath[]): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const path of paths) {
    if (path === BLOCKED_CIDRS) {
      const list = parseCidrList(form.blockedCidrs);
      if (!sameList(list, saved.fraud.blocked_cidrs)) put(patch, path, list);
    } else if ((TOGGLE_SETTINGS as readonly string[]).includes(path)) {
      const value = form.toggles[path as ToggleSetting];
      if (value !== settingAt(saved, path)) put(patch, path, value);
    } else {
      const value = typed(form.numbers[path as NumberSetting]);
      if (value !== settingAt(saved, path)) put(patch, path, value);
    }
  }
  return patch;
}

/**
 * The server's refusal (`details.errors: [{field, message}]`) per setting: `fraud.blocked_cidrs[3]`
 * belongs to the block list. Messages the form has no field for are returned apart, to show above
 * the button rather than lose them.
 */
export function errorsByField(
  details: Record<string, unknown>,
  paths: readonly SettingPath[],
): { fields: Partial<Record<SettingPath, string>>; other: string[] } {
  const fields: Partial<Record<SettingPath, string>> = {};
  const other: string[] = [];
  const list = Array.isArray(details['errors']) ? (details['errors'] as unknown[]) : [];
  for (const item of list) {
    const { field, message } = (item ?? {}) as { field?: unknown; message?: unknown };
    if (typeof message !== 'string') continue;
    const path = typeof field === 'string' ? field.replace(/\[\d+\]$/, '') : '';
    if ((paths as readonly string[]).includes(path)) {
      const key = path as SettingPath;
      fields[key] = fields[key] ? `${fields[key]}; ${message}` : message;
    } else {
      other.push(field ? `${String(field)} ${message}` : message);
    }
  }
  return { fields, other };
}

/** "1–720" for a number setting, from the limits the server answered. */
export function rangeText(answer: SettingsAnswer, path: NumberSetting): string {
  const limit = answer.limits[path.replace(/^fraud\./, '') as keyof SettingsAnswer['limits']] as { min: number; max: number };
  return `${limit.min.toLocaleString('en-US')}–${limit.max.toLocaleString('en-US')}`;
}

/** The default as a person reads it: "on"/"off" for a rule, the number otherwise, "empty" for a list. */
export function defaultText(answer: SettingsAnswer, path: SettingPath): string {
  const value = settingAt(answer.defaults, path);
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (Array.isArray(value)) return value.length === 0 ? 'empty' : value.join(', ');
  return value.toLocaleString('en-US');
}
