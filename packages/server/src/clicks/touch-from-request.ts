import { normalizeAdvertisingId, osVersionFromUserAgent, platformFromUserAgent, resolveTouchWindows } from '@unmogrowp/attribution';
import type { TouchItem } from '@unmogrowp/schema';
import type { ClickLink } from '@unmogrowp/storage';

/** Query (or S2S body) fields with a place of their own; the rest is kept in `params`. */
const MAPPED = new Set(['click_id', 'advertising_id', 'idfa', 'gaid', 'site_id', 'sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'ad_set', 'ad']);
const MAX_PARAM_LENGTH = 512;
const MAX_PARAMS = 50;

export interface TouchInput {
  touch: 'click' | 'impression';
  clickId: string;
  timestamp: number;
  receivedAt: number;
  ip: string;
  userAgent: string;
  /** query parameters or S2S body fields, as strings */
  fields: Record<string, string>;
}

/** A click or impression as the log carries it, from the link it came through and what the request said. */
export function touchFromRequest({ link, app }: ClickLink, input: TouchInput): TouchItem {
  const f = input.fields;
  const text = (name: string) => (f[name] ?? '').slice(0, MAX_PARAM_LENGTH);
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(f)) {
    if (!MAPPED.has(key) && Object.keys(params).length < MAX_PARAMS) params[key.slice(0, 64)] = value.slice(0, MAX_PARAM_LENGTH);
  }
  const windows = resolveTouchWindows(link, app.settings);
  // Once per click: the OS version is read for the platform found here (the user-agent patterns ran twice).
  const platform = platformFromUserAgent(input.userAgent);
  return {
    kind: 'touch',
    touch: input.touch,
    app_id: app.id,
    event_id: input.clickId,
    click_id: input.clickId,
    link_id: link.id,
    timestamp: input.timestamp,
    received_at: input.receivedAt,
    ip: input.ip,
    user_agent: input.userAgent.slice(0, 1024),
    advertising_id: normalizeAdvertisingId(text('advertising_id') || text('idfa') || text('gaid')),
    platform,
    os_version: osVersionFromUserAgent(input.userAgent, platform),
    media_source: link.media_source,
    campaign: link.campaign,
    ad_set: text('ad_set') || link.ad_set || '',
    ad: text('ad') || link.ad || '',
    site_id: text('site_id') || link.site_id || '',
    sub1: text('sub1'),
    sub2: text('sub2'),
    sub3: text('sub3'),
    sub4: text('sub4'),
    sub5: text('sub5'),
    network_click_id: text('click_id'),
    is_retargeting: link.is_retargeting,
    click_window_ms: windows.click_window_ms,
    view_window_ms: windows.view_window_ms,
    params,
    fraud_reason: '',
  };
}

/** Only string values of a parsed query string (repeated keys keep the first). */
export function stringFields(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!query || typeof query !== 'object') return out;
  for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
    const v = Array.isArray(value) ? value[0] : value;
    if (typeof v === 'string') out[key] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
  }
  return out;
}
