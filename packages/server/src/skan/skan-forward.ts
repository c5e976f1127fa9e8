import { campaignOf, mediaSourceOf, renderPostbackUrl, type SkanPostback } from '@unmogrowp/attribution';
import { enqueuePostbacks, getPartner, getSkanSettings, type SqlDb } from '@unmogrowp/storage';

/** The event name a partner lists in its `events` to receive copies of Apple's postbacks. */
export const SKAN_COPY_EVENT = 'skan_postback';

/**
 * Queues a copy of a newly stored, verified postback for the network's partner when the partner
 * asked for copies (its `events` include `skan_postback`). The body is Apple's JSON exactly as
 * received, so the network can check Apple's signature itself; the URL's macros get the
 * transaction id (`{install_id}`), window (`{event_id}`), campaign and time. It goes through the
 * same outbox as every postback: retried, logged, and sent by whichever worker runs the outbox.
 */
export async function forwardSkanCopy(
  control: SqlDb,
  appId: string,
  postback: SkanPostback,
  raw: unknown,
  receivedAt: number,
): Promise<boolean> {
  const settings = await getSkanSettings(control, appId);
  const mediaSource = mediaSourceOf(postback.ad_network_id, settings.networks);
  const partner = await getPartner(control, appId, mediaSource);
  if (!partner?.enabled || !partner.events.includes(SKAN_COPY_EVENT)) return false;
  const url = renderPostbackUrl(partner.url, {
    click_id: '',
    install_id: postback.transaction_id,
    event_name: SKAN_COPY_EVENT,
    event_id: String(postback.postback_sequence_index),
    revenue: null,
    currency: '',
    advertising_id: '',
    device_id: '',
    campaign: campaignOf(postback.source_identifier, settings.campaigns[mediaSource]) ?? postback.source_identifier ?? '',
    ad_set: '',
    ad: '',
    site_id: postback.source_app_id ?? postback.source_domain ?? '',
    timestamp: receivedAt,
    match_type: 'skan',
    ctit: null,
  });
  const queued = await enqueuePostbacks(
    control,
    [
      {
        app_id: appId,
        media_source: mediaSource,
        install_id: postback.transaction_id,
        event_id: String(postback.postback_sequence_index),
        event_name: SKAN_COPY_EVENT,
        method: 'POST',
        url,
        body: raw,
      },
    ],
    receivedAt,
  );
  return queued > 0;
}
