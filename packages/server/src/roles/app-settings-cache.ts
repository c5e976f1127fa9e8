import type { AppAttributionSettings } from '@unmogrowp/attribution';
import { attributionSettingsOf, getApp, type SqlDb } from '@unmogrowp/storage';

const SETTINGS_TTL_MS = 5_000;

/**
 * An app's attribution settings, read at most every 5 s per app: the pipeline (and, scale-out,
 * the ingest's click-flood check) asks for them per item. A change shows within that time.
 */
export function appSettingsCache(control: SqlDb): (appId: string) => Promise<AppAttributionSettings> {
  const settings = new Map<string, { value: Promise<AppAttributionSettings>; expires: number }>();
  return (appId) => {
    const hit = settings.get(appId);
    if (hit && hit.expires > Date.now()) return hit.value;
    const value = getApp(control, appId).then((app) => attributionSettingsOf(app?.settings));
    // A failed read is not kept: the next item asks again.
    value.catch(() => settings.delete(appId));
    settings.set(appId, { value, expires: Date.now() + SETTINGS_TTL_MS });
    return value;
  };
}
