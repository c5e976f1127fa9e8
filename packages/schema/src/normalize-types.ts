import type { ItemRejection } from './errors.ts';
import type { SdkItem } from './event.ts';

/** What the route knows about the request; everything else comes from the body. */
export interface NormalizeContext {
  app_id: string;
  /** epoch ms, server clock */
  received_at: number;
  /** connection address (or X-Forwarded-For, decided by the caller) */
  ip: string;
  /** the request's User-Agent header */
  user_agent: string;
  /** a server key: items may set `ip` */
  trusted: boolean;
  /**
   * Send time (epoch ms) found outside the body, e.g. PostHog JS's `?_=` query parameter.
   * Body and item `sent_at` take precedence.
   */
  sent_at?: number;
}

export interface NormalizedItem {
  /** position of the wire item in the request */
  index: number;
  item: SdkItem;
}

/**
 * `items` is in request order. One wire item can yield two entries with the same index
 * (a PostHog event carrying `$set` also yields an identity update).
 */
export interface NormalizeResult {
  items: NormalizedItem[];
  rejected: ItemRejection[];
}
