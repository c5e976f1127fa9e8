/**
 * The demo's fictional world: a mobile game bought on five ad networks plus one shady affiliate,
 * the phones its players carry, what they buy. Plain data; the planner decides what happens.
 */

export interface CampaignSpec {
  campaign: string;
  /** share of the network's installs */
  weight: number;
  ad_sets: readonly string[];
  ads: readonly string[];
  /** publisher apps (display networks) or sub-publishers (affiliates); empty: none */
  site_ids: readonly string[];
}

export interface NetworkSpec {
  media_source: string;
  label: string;
  /** share of paid installs */
  share: number;
  /** share of its installs on Android (the rest iOS) */
  android: number;
  /** what the network bills per install it claims, USD */
  cpi: number;
  /** clicks it sends for every install a click wins (the winning click included) */
  clicks_per_install: number;
  /** impressions it reports per click */
  impressions_per_click: number;
  /** share of its installs credited to an impression (view-through) rather than a click */
  view_through: number;
  /** retention and spending of its users, relative to an average user */
  quality: number;
  campaigns: readonly CampaignSpec[];
  /** sends floods, injected clicks, device-farm installs */
  fraudulent?: boolean;
}

export const ORGANIC_SHARE = 0.36;
export const CURRENCY = 'USD';
export const BUNDLE_ID = 'com.unmogrowp.lumenquest';
export const STORE_URL_ANDROID = `https://play.google.com/store/apps/details?id=${BUNDLE_ID}`;
export const STORE_URL_IOS = 'https://apps.apple.com/app/id6400000000';
export const WEB_URL = 'https://lumenquest.example.com/';

export const NETWORKS: readonly NetworkSpec[] = [
  {
    media_source: 'google_ads',
    label: 'Google Ads',
    share: 0.26,
    android: 0.78,
    cpi: 2.4,
    clicks_per_install: 3,
    impressions_per_click: 0,
    view_through: 0,
    quality: 1.1,
    campaigns: [
      { campaign: 'search_brand', weight: 0.35, ad_sets: ['brand_exact', 'brand_broad'], ads: ['text_a', 'text_b'], site_ids: [] },
      { campaign: 'uac_growth', weight: 0.65, ad_sets: ['tcpa_us', 'tcpa_eu'], ads: ['html5_1', 'video_15s'], site_ids: [] },
    ],
  },
  {
    media_source: 'meta_ads',
    label: 'Meta Ads',
    share: 0.28,
    android: 0.5,
    cpi: 2.9,
    clicks_per_install: 4,
    impressions_per_click: 0,
    view_through: 0,
    quality: 1,
    campaigns: [
      { campaign: 'spring_sale', weight: 0.55, ad_sets: ['broad_18_34', 'lookalike_1pct'], ads: ['video_a', 'carousel_b'], site_ids: [] },
      { campaign: 'evergreen_installs', weight: 0.45, ad_sets: ['advantage_plus'], ads: ['ugc_1', 'ugc_2'], site_ids: [] },
    ],
  },
  {
    media_source: 'tiktok',
    label: 'TikTok',
    share: 0.17,
    android: 0.55,
    cpi: 1.7,
    clicks_per_install: 5,
    impressions_per_click: 0,
    view_through: 0,
    quality: 0.8,
    campaigns: [{ campaign: 'creator_launch', weight: 1, ad_sets: ['ugc_dance', 'ugc_review'], ads: ['spark_1', 'spark_2'], site_ids: [] }],
  },
  {
    media_source: 'unity_ads',
    label: 'Unity Ads',
    share: 0.11,
    android: 0.65,
    cpi: 1.9,
    clicks_per_install: 3,
    impressions_per_click: 2,
    view_through: 0.3,
    quality: 0.9,
    campaigns: [
      {
        campaign: 'playable_v2',
        weight: 1,
        ad_sets: ['tier1'],
        ads: ['playable_v2'],
        site_ids: ['com.puzzle.blast', 'com.idle.miner', 'com.merge.garden'],
      },
    ],
  },
  {
    media_source: 'applovin',
    label: 'AppLovin',
    share: 0.11,
    android: 0.6,
    cpi: 2.1,
    clicks_per_install: 3,
    impressions_per_click: 2,
    view_through: 0.25,
    quality: 0.95,
    campaigns: [
      {
        campaign: 'rewarded_video',
        weight: 1,
        ad_sets: ['rv_tier1'],
        ads: ['rv_30s'],
        site_ids: ['com.word.craze', 'com.tile.match', 'com.sudoku.daily'],
      },
    ],
  },
  {
    media_source: 'clickstorm',
    label: 'ClickStorm (affiliate)',
    share: 0.07,
    android: 0.85,
    cpi: 1.2,
    clicks_per_install: 10,
    impressions_per_click: 0,
    view_through: 0,
    quality: 0.3,
    campaigns: [{ campaign: 'cpi_offer_771', weight: 1, ad_sets: [], ads: [], site_ids: ['pub_1093', 'pub_2211', 'pub_3307'] }],
    fraudulent: true,
  },
];

/** A retargeting campaign that wins lapsed players back (re-engagements, docs/attribution-rules.md). */
export const RETARGETING = { media_source: 'meta_ads', campaign: 'lapsed_players', label: 'Meta Ads' } as const;

export interface PhoneModel {
  model: string;
  os_version: string;
}

export const ANDROID_PHONES: readonly PhoneModel[] = [
  { model: 'Pixel 8', os_version: '14' },
  { model: 'Pixel 7a', os_version: '14' },
  { model: 'Pixel 9', os_version: '15' },
  { model: 'SM-S918B', os_version: '14' },
  { model: 'SM-A546B', os_version: '14' },
  { model: 'SM-A146B', os_version: '13' },
  { model: 'Redmi Note 12', os_version: '13' },
  { model: 'moto g54 5G', os_version: '13' },
];

export const IPHONES: readonly PhoneModel[] = [
  { model: 'iPhone13,2', os_version: '16.7.8' },
  { model: 'iPhone14,5', os_version: '17.4' },
  { model: 'iPhone15,2', os_version: '17.5.1' },
  { model: 'iPhone16,1', os_version: '17.6' },
  { model: 'iPhone15,4', os_version: '18.0' },
  { model: 'iPhone17,1', os_version: '18.1' },
];

export const LOCALES = ['en_US', 'en_US', 'en_US', 'en_GB', 'de_DE', 'fr_FR', 'es_ES', 'pt_BR', 'ja_JP'] as const;

/** Share of iPhones whose user allowed tracking (ATT), so that the IDFA is sent. */
export const IOS_IDFA_SHARE = 0.3;
/** Share of Android phones with an advertising id (the rest opted out). */
export const ANDROID_GAID_SHARE = 0.9;

export const PURCHASES: readonly { sku: string; price: number; weight: number }[] = [
  { sku: 'gems_small', price: 0.99, weight: 30 },
  { sku: 'gems_medium', price: 4.99, weight: 30 },
  { sku: 'starter_pack', price: 9.99, weight: 20 },
  { sku: 'gems_large', price: 19.99, weight: 12 },
  { sku: 'season_pass', price: 49.99, weight: 6 },
  { sku: 'gems_vault', price: 99.99, weight: 2 },
];

/** Installs per UTC hour of day (relative): a quiet night, a busy evening. */
export const HOURLY_WEIGHTS = [2, 1.5, 1, 1, 1, 1.5, 2.5, 3.5, 4, 4, 4.2, 4.5, 5, 5, 4.8, 4.8, 5, 5.5, 6.5, 7.5, 8, 7, 5, 3.5];

/** Installs per weekday (0 = Sunday), relative. */
export const WEEKDAY_WEIGHTS = [1.2, 0.9, 0.9, 0.92, 0.95, 1.08, 1.22];

/** App versions by how far through the month (a release in the middle). */
export function appVersionAt(fraction: number): string {
  return fraction < 0.45 ? '2.3.1' : fraction < 0.8 ? '2.4.0' : '2.4.1';
}

export function userAgentOf(platform: 'ios' | 'android', phone: PhoneModel): string {
  if (platform === 'ios') {
    return `Mozilla/5.0 (iPhone; CPU iPhone OS ${phone.os_version.replace(/\./g, '_')} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148`;
  }
  return `Mozilla/5.0 (Linux; Android ${phone.os_version}; ${phone.model}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36`;
}
