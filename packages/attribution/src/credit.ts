import type { Credit, Touchpoint } from './types.ts';

/** What an organic install credits: nobody. */
export const ORGANIC_CREDIT: Credit = {
  media_source: 'organic',
  campaign: '',
  ad_set: '',
  ad: '',
  site_id: '',
  link_id: '',
  click_id: '',
  network_click_id: '',
};

export function creditOf(touch: Touchpoint): Credit {
  return {
    media_source: touch.media_source,
    campaign: touch.campaign,
    ad_set: touch.ad_set,
    ad: touch.ad,
    site_id: touch.site_id,
    link_id: touch.link_id,
    click_id: touch.touch_id,
    network_click_id: touch.network_click_id,
  };
}

/** Copies exactly the credit fields: a stored row may carry more (ids, timestamps). */
export function pickCredit(c: Credit): Credit {
  return {
    media_source: c.media_source,
    campaign: c.campaign,
    ad_set: c.ad_set,
    ad: c.ad,
    site_id: c.site_id,
    link_id: c.link_id,
    click_id: c.click_id,
    network_click_id: c.network_click_id,
  };
}
