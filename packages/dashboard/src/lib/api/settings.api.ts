import type { Requester } from './client.ts';

/** An app's attribution settings (docs/attribution-rules.md), the shape of `GET /api/apps/:app_id/settings`. */
export interface AttributionSettings {
  click_window_hours: number;
  view_window_hours: number;
  probabilistic_enabled: boolean;
  probabilistic_window_hours: number;
  reattribution_window_days: number;
  reengagement_window_days: number;
  retention_days: number;
  fraud: {
    ctit_enabled: boolean;
    ctit_min_seconds: number;
    click_injection_enabled: boolean;
    click_flood_enabled: boolean;
    click_flood_max_per_hour: number;
    blocked_ip_enabled: boolean;
    blocked_cidrs: string[];
  };
}

interface Range {
  min: number;
  max: number;
}

/** Inclusive ranges per number setting (fraud settings by their own name), and the block list's size. */
export interface SettingLimits {
  click_window_hours: Range;
  view_window_hours: Range;
  probabilistic_window_hours: Range;
  reattribution_window_days: Range;
  reengagement_window_days: Range;
  retention_days: Range;
  ctit_min_seconds: Range;
  click_flood_max_per_hour: Range;
  blocked_cidrs: { max_entries: number };
}

/** What the engine applies to the app (stored values, defaults for the rest), the defaults and the limits. */
export interface SettingsAnswer {
  settings: AttributionSettings;
  defaults: AttributionSettings;
  limits: SettingLimits;
}

export function getAppSettings(api: Requester, appId: string): Promise<SettingsAnswer> {
  return api.request<SettingsAnswer>('GET', `/api/apps/${encodeURIComponent(appId)}/settings`);
}

/**
 * Changes some settings (`PATCH /api/apps/:app_id`, merged into what is stored) and answers them
 * as the engine now applies them. A refusal is an ApiError whose `details.errors` names each field.
 */
export async function saveAppSettings(api: Requester, appId: string, settings: Record<string, unknown>): Promise<SettingsAnswer> {
  await api.request('PATCH', `/api/apps/${encodeURIComponent(appId)}`, { body: { settings } });
  return getAppSettings(api, appId);
}
