import {
  type AppAttributionSettings,
  DEFAULT_REPORTING_CURRENCY,
  defaultSettings,
  isCurrencyCode,
  validateSettings,
} from '@unmogrowp/attribution';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An app's stored `settings` (apps.settings, free-form JSON) as the attribution engine's settings:
 * defaults for what is absent. A stored key the rules refuse (not an attribution setting, or
 * written before a limit changed) is skipped one by one instead of failing every click and install.
 */
export function attributionSettingsOf(stored: Record<string, unknown> | null | undefined): AppAttributionSettings {
  let settings = defaultSettings();
  if (!isRecord(stored)) return settings;
  for (const [key, value] of Object.entries(stored)) {
    const candidates =
      key === 'fraud' && isRecord(value) ? Object.entries(value).map(([k, v]) => ({ fraud: { [k]: v } })) : [{ [key]: value }];
    for (const partial of candidates) {
      const result = validateSettings(partial, settings);
      if (result.ok) settings = result.settings;
    }
  }
  return settings;
}

/** The currency an app's money is reported in (`settings.reporting_currency`), USD when unset or unreadable. */
export function reportingCurrencyOf(stored: Record<string, unknown> | null | undefined): string {
  const value = isRecord(stored) ? stored['reporting_currency'] : undefined;
  return isCurrencyCode(value) ? value : DEFAULT_REPORTING_CURRENCY;
}
