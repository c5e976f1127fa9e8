import type { ApiRange } from './analytics.api.ts';
import type { Requester } from './client.ts';
import type { components } from './openapi.d.ts';

/** docs/skadnetwork.md: what the SKAN report and settings routes answer (generated from the server's schemas). */
type Schemas = components['schemas'];
export type SkanRow = Schemas['SkanRow'];
export type SkanReport = Schemas['SkanReport'];
export type ValueMeaning = Schemas['SkanValueMeaning'];
export type SkanSettings = Schemas['SkanSettings'];

export function getSkanReport(api: Requester, appId: string, range: ApiRange): Promise<SkanReport> {
  return api.request('GET', `/api/analytics/${encodeURIComponent(appId)}/skan`, { query: { ...range } });
}

export async function getSkanSettings(api: Requester, appId: string): Promise<SkanSettings> {
  return (await api.request<{ settings: SkanSettings }>('GET', `/api/apps/${encodeURIComponent(appId)}/skan/settings`)).settings;
}

export async function putSkanSettings(api: Requester, appId: string, settings: SkanSettings): Promise<SkanSettings> {
  return (await api.request<{ settings: SkanSettings }>('PUT', `/api/apps/${encodeURIComponent(appId)}/skan/settings`, { body: settings }))
    .settings;
}
