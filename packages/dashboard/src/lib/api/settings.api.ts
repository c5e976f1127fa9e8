import type { Requester } from './client.ts';
import type { paths } from './openapi.d.ts';

/**
 * `GET /api/apps/:app_id/settings`: what the engine applies to the app (stored values, defaults
 * for the rest), the defaults and the limits — the server's shape, from the generated document.
 */
export type SettingsAnswer = paths['/api/apps/{app_id}/settings']['get']['responses'][200]['content']['application/json'];
/** An app's attribution settings (docs/attribution-rules.md). */
export type AttributionSettings = SettingsAnswer['settings'];
/** Inclusive ranges per number setting (fraud settings by their own name), and the block list's size. */
export type SettingLimits = SettingsAnswer['limits'];

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
