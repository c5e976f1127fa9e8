import type { PostbackLogEntry } from '@unmogrowp/storage';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * One row of the delivery log as docs/api.md's JSON conventions want it: times ISO-8601 UTC (the
 * outbox keeps epoch ms), attempts oldest first. `next_attempt_at` only means something while
 * the postback is pending.
 */
export function postbackView(p: PostbackLogEntry, canSeeSecrets: boolean) {
  return {
    id: p.id,
    media_source: p.media_source,
    event_name: p.event_name,
    install_id: p.install_id,
    event_id: p.event_id === '' ? null : p.event_id,
    method: p.method,
    url: canSeeSecrets ? p.url : maskedUrl(p.url),
    body: p.body,
    status: p.status,
    attempts: p.attempts,
    last_status_code: p.last_status_code,
    last_error: p.last_error,
    created_at: iso(p.created_at),
    next_attempt_at: p.status === 'pending' ? iso(p.next_attempt_at) : null,
    delivered_at: p.delivered_at === null ? null : iso(p.delivered_at),
    attempts_log: p.attempts_log.map((a) => ({
      attempt: a.attempt,
      at: iso(a.at),
      status_code: a.status_code,
      error: a.error,
      duration_ms: a.duration_ms,
    })),
  };
}

const MASK = '***';

/**
 * The rendered URL as an analyst may see it: a partner template carries the network's account
 * tokens in its query and often in its path, so query values, credentials and token-like path
 * segments are masked; host and path stay, so a delivery can still be told apart.
 */
export function maskedUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return MASK;
  }
  url.username = '';
  url.password = '';
  url.pathname = url.pathname
    .split('/')
    .map((segment) => (segment.length >= 12 && /\d/.test(segment) ? MASK : segment))
    .join('/');
  const masked = new URLSearchParams();
  for (const key of url.searchParams.keys()) if (!masked.has(key)) masked.append(key, MASK);
  url.search = masked.toString().replaceAll('%2A', '*');
  return url.toString();
}
