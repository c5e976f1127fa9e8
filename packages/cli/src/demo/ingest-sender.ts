import { describeAnswer, type HttpClient } from './http-client.ts';
import type { LiveClick, PlannedEvent, PlannedTouch } from './plan-types.ts';
import { MAX_TOUCH_AGE, MINUTE } from './timeline.ts';
import { touchBody } from './wire.ts';

export interface SendStats {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** planned but not sent: too old for the route by now (a re-run long after the first) */
  skipped: number;
  /** the first rejection's sentence, to show */
  firstRejection?: string;
}

const TOUCH_CONCURRENCY = 48;

export function emptyStats(): SendStats {
  return { accepted: 0, duplicates: 0, rejected: 0, skipped: 0 };
}

/**
 * Reports the planned clicks and impressions server to server, oldest first, many at a time
 * (each is one request: the route has no batch form). Answers our click id per touch index,
 * which the Play referrers of the installs must carry.
 *
 * Flood clicks go last, one at a time in time order: the flood rule counts, for each click, the
 * earlier clicks of its IP and link already seen, so clicks of one flood arriving out of order
 * would be let through, and the demo would not show the rule cutting exactly at its threshold.
 */
export async function sendTouches(
  ingest: HttpClient,
  serverKey: string,
  touches: readonly PlannedTouch[],
  linkIds: ReadonlyMap<string, string>,
  onProgress: (done: number, total: number) => void,
): Promise<{ clickIds: Map<number, string>; stats: SendStats }> {
  const byTime = touches.map((_, i) => i).sort((a, b) => touches[a]!.ts - touches[b]!.ts);
  const spread = byTime.filter((i) => !touches[i]!.burst);
  const bursts = byTime.filter((i) => touches[i]!.burst);
  const oldest = Date.now() - MAX_TOUCH_AGE + MINUTE;
  const clickIds = new Map<number, string>();
  const stats = emptyStats();
  let done = 0;
  const send = async (index: number) => {
    const touch = touches[index]!;
    if (touch.ts < oldest) {
      stats.skipped++;
      return;
    }
    const answer = await ingest.request('POST', `/v1/${touch.kind}s`, {
      headers: { authorization: `Bearer ${serverKey}` },
      body: touchBody(touch, linkIds.get(touch.link)!),
    });
    if (answer.status !== 202) throw new Error(`POST /v1/${touch.kind}s: ${describeAnswer(answer)}`);
    clickIds.set(index, answer.body.click_id as string);
    stats.accepted += answer.body.accepted as number;
    stats.duplicates += answer.body.duplicates as number;
    if (++done % 2000 === 0) onProgress(done, touches.length);
  };
  let next = 0;
  const worker = async () => {
    while (next < spread.length) await send(spread[next++]!);
  };
  await Promise.all(Array.from({ length: TOUCH_CONCURRENCY }, worker));
  for (const index of bursts) await send(index);
  onProgress(done, touches.length);
  return { clickIds, stats };
}

/**
 * Clicks and impressions through the public tracking URLs, as a browser behind a proxy sends
 * them (User-Agent, X-Forwarded-For). A click's redirect to Google Play carries our click id in
 * its `referrer`; the planned install then quotes it, CTIT seconds after the click. Answers those
 * installs, keyed −1, −2, … in `clickIds`.
 */
export async function sendLive(
  ingest: HttpClient,
  live: readonly LiveClick[],
  linkIds: ReadonlyMap<string, string>,
): Promise<{ installs: PlannedEvent[]; clickIds: Map<number, string>; stats: SendStats }> {
  const installs: PlannedEvent[] = [];
  const clickIds = new Map<number, string>();
  const stats = emptyStats();
  for (const [i, click] of live.entries()) {
    const query = new URLSearchParams({ click_id: click.network_click_id, ...(click.site_id ? { site_id: click.site_id } : {}) });
    const route = click.touch === 'click' ? 'c' : 'i';
    const at = Date.now();
    const answer = await ingest.request('GET', `/${route}/${linkIds.get(click.link)}?${query}`, {
      // A phone's browser follows the ad: it asks for a page (an app opened by a universal link
      // asks for JSON instead and gets the link's data, not the redirect).
      headers: { 'user-agent': click.user_agent, 'x-forwarded-for': click.ip, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    const expected = click.touch === 'click' ? 302 : 204;
    if (answer.status !== expected) throw new Error(`GET /${route}/…: ${describeAnswer(answer)}`);
    stats.accepted++;
    const location = answer.headers.location;
    const referrer = location ? new URL(location).searchParams.get('referrer') : null;
    const clickId = referrer?.startsWith('click_id=') ? referrer.slice('click_id='.length) : null;
    if (!click.install || !clickId) continue;
    const key = -(i + 1);
    clickIds.set(key, clickId);
    const { event_id, device, ctit_ms, app_version } = click.install;
    installs.push({
      event_id,
      type: 'install',
      ts: at + ctit_ms,
      device,
      app_version,
      referrer: {
        touch: key,
        utm_source: click.link.split('/')[0]!,
        click_ts: Math.floor(at / 1000),
        install_begin_ts: Math.floor((at + ctit_ms / 2) / 1000),
      },
    });
  }
  return { installs, clickIds, stats };
}

/**
 * Event batches: each stream one batch after the other, so the log keeps its order and a
 * device's install precedes what follows it; streams hold disjoint devices (eventStreams), so
 * they may run side by side.
 */
export async function sendEvents(
  ingest: HttpClient,
  serverKey: string,
  streams: readonly (readonly string[])[],
  onProgress: (done: number, total: number) => void,
): Promise<SendStats> {
  const stats = emptyStats();
  const total = streams.reduce((n, s) => n + s.length, 0);
  let done = 0;
  const send = async (bodies: readonly string[]) => {
    for (const body of bodies) {
      const answer = await ingest.request('POST', '/v1/events/batch', { headers: { authorization: `Bearer ${serverKey}` }, body });
      if (answer.status !== 202) throw new Error(`POST /v1/events/batch: ${describeAnswer(answer)}`);
      const rejected = answer.body.rejected as { index: number; error: { message: string } }[];
      stats.accepted += answer.body.accepted as number;
      stats.duplicates += answer.body.duplicates as number;
      stats.rejected += rejected.length;
      stats.firstRejection ??= rejected[0]?.error.message;
      if (++done % 20 === 0) onProgress(done, total);
    }
  };
  await Promise.all(streams.map(send));
  onProgress(done, total);
  return stats;
}
