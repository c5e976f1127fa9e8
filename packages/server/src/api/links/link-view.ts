import type { Link } from '@unmogrowp/storage';

/** What the links routes answer for one link: the link and the two URLs to place in ads. */
export interface LinkView {
  link: Link;
  click_url: string;
  impression_url: string;
}

/**
 * The ad URLs live on the ingest listener, as ads reach it (`PUBLIC_INGEST_URL`, no trailing
 * slash); link ids are base62, so they need no escaping.
 */
export function linkView(publicIngestUrl: string, link: Link): LinkView {
  return {
    link,
    click_url: `${publicIngestUrl}/c/${link.id}`,
    impression_url: `${publicIngestUrl}/i/${link.id}`,
  };
}
