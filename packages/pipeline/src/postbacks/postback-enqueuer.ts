import {
  type Attribution,
  type Credit,
  type InstallStatus,
  type MatchType,
  type PostbackValues,
  postbackJsonBody,
  renderPostbackUrl,
} from '@unmogrowp/attribution';
import { enqueuePostbacks, getPartner, type NewPostback, type SqlDb } from '@unmogrowp/storage';

/** The part of a partner (storage's `Partner`) that decides what is sent where. */
export interface PartnerConfig {
  media_source: string;
  url: string;
  method: 'GET' | 'POST';
  events: readonly string[];
  enabled: boolean;
}

/** An install with its decision, as the attribution step writes it. */
export interface InstallForPostback {
  app_id: string;
  install_id: string;
  device_id: string;
  advertising_id: string;
  installed_at: number;
  attribution: Attribution;
}

/** An event with the credit it inherited (activeAttribution) and, when known, the install's decision. */
export interface EventForPostback {
  app_id: string;
  install_id: string;
  device_id: string;
  advertising_id: string;
  event_id: string;
  event_name: string;
  ts: number;
  revenue: number | null;
  currency: string;
  attribution: Credit & { status?: InstallStatus; match_type?: MatchType; ctit_seconds?: number | null };
}

export type PartnerLookup = (appId: string, mediaSource: string) => Promise<PartnerConfig | null>;

export const INSTALL_EVENT_NAME = 'install';
const NO_PARTNER_SOURCES = new Set(['', 'organic']);

/** Installs are posted back only when a network earned them: not organic, rejected or a reinstall. */
export function installPostback(install: InstallForPostback, partner: PartnerConfig | null): NewPostback | null {
  const a = install.attribution;
  if (a.status !== 'attributed' || !sendsTo(partner, a.media_source)) return null;
  const values: PostbackValues = {
    ...creditValues(a),
    install_id: install.install_id,
    event_name: INSTALL_EVENT_NAME,
    event_id: '',
    revenue: null,
    currency: '',
    advertising_id: install.advertising_id,
    device_id: install.device_id,
    timestamp: install.installed_at,
    match_type: a.match_type,
    ctit: a.ctit_seconds,
  };
  return rendered(install.app_id, partner, values);
}

/** Events are posted back when their credited network's partner names them; never for a rejected install. */
export function eventPostback(event: EventForPostback, partner: PartnerConfig | null): NewPostback | null {
  const a = event.attribution;
  if (a.status === 'rejected' || event.event_name === INSTALL_EVENT_NAME || !sendsTo(partner, a.media_source)) return null;
  if (!partner.events.includes(event.event_name)) return null;
  const values: PostbackValues = {
    ...creditValues(a),
    install_id: event.install_id,
    event_name: event.event_name,
    event_id: event.event_id,
    revenue: event.revenue,
    currency: event.currency,
    advertising_id: event.advertising_id,
    device_id: event.device_id,
    timestamp: event.ts,
    match_type: a.match_type ?? '',
    ctit: a.ctit_seconds ?? null,
  };
  return rendered(event.app_id, partner, values);
}

/** storage's getPartner, as a lookup. */
export function partnerLookupFrom(db: Pick<SqlDb, 'query'>): PartnerLookup {
  return (appId, mediaSource) => getPartner(db, appId, mediaSource);
}

/**
 * Renders and enqueues the postbacks a batch of installs and events calls for, in one insert.
 * Each (app, media source) partner is looked up once per batch. Idempotent: a retried batch
 * enqueues nothing twice. Returns how many postbacks were new.
 */
export async function enqueueAttributedPostbacks(
  db: Pick<SqlDb, 'query'>,
  batch: { installs?: readonly InstallForPostback[]; events?: readonly EventForPostback[] },
  options: { partnerOf: PartnerLookup; now: number },
): Promise<number> {
  const installs = batch.installs ?? [];
  const events = batch.events ?? [];
  const partners = new Map<string, Promise<PartnerConfig | null>>();
  const partnerFor = (appId: string, mediaSource: string) => {
    const key = `${appId}\u0000${mediaSource}`;
    let found = partners.get(key);
    if (!found) {
      found = NO_PARTNER_SOURCES.has(mediaSource) ? Promise.resolve(null) : options.partnerOf(appId, mediaSource);
      partners.set(key, found);
    }
    return found;
  };
  const postbacks: NewPostback[] = [];
  for (const install of installs) {
    const p = installPostback(install, await partnerFor(install.app_id, install.attribution.media_source));
    if (p) postbacks.push(p);
  }
  for (const event of events) {
    const p = eventPostback(event, await partnerFor(event.app_id, event.attribution.media_source));
    if (p) postbacks.push(p);
  }
  return enqueuePostbacks(db, postbacks, options.now);
}

function sendsTo(partner: PartnerConfig | null, mediaSource: string): partner is PartnerConfig {
  return partner?.enabled === true && !NO_PARTNER_SOURCES.has(mediaSource) && partner.media_source === mediaSource;
}

function creditValues(credit: Credit): Pick<PostbackValues, 'click_id' | 'campaign' | 'ad_set' | 'ad' | 'site_id'> {
  return {
    // {click_id} is the network's own click id: the one it can match on its side.
    click_id: credit.network_click_id,
    campaign: credit.campaign,
    ad_set: credit.ad_set,
    ad: credit.ad,
    site_id: credit.site_id,
  };
}

function rendered(appId: string, partner: PartnerConfig, values: PostbackValues): NewPostback {
  return {
    app_id: appId,
    media_source: partner.media_source,
    install_id: values.install_id,
    event_id: values.event_id,
    event_name: values.event_name,
    method: partner.method,
    url: renderPostbackUrl(partner.url, values),
    body: partner.method === 'POST' ? postbackJsonBody(values) : null,
  };
}
