import autocannon from 'autocannon';

export interface LoadResult {
  requests_per_s: number;
  p50_ms: number;
  p99_ms: number;
  non2xx: number;
  errors: number;
  /** requests answered 2xx in the whole run */
  ok_requests: number;
  /** requests answered 2xx or 3xx (a click redirect is a 302) */
  answered_requests: number;
}

/**
 * Drives `url` with POST bodies made by `body(n)` (n = request counter, so every request can
 * carry fresh event ids: a repeated body would only measure the dedupe path).
 */
export async function load(
  url: string,
  opts: {
    body?: (n: number) => string;
    headers: Record<string, string>;
    connections: number;
    seconds: number;
    method?: 'GET' | 'POST';
    /** requests per second in total; unset = as fast as the server answers */
    overallRate?: number;
  },
) {
  let n = 0;
  const body = opts.body;
  const result = await autocannon({
    url,
    method: opts.method ?? 'POST',
    connections: opts.connections,
    duration: opts.seconds,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
    headers: body ? { 'content-type': 'application/json', ...opts.headers } : opts.headers,
    requests: body ? [{ setupRequest: (req) => ({ ...req, body: body(n++) }) }] : undefined,
  });
  return {
    requests_per_s: result.requests.average,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    ok_requests: result['2xx'],
    answered_requests: result['2xx'] + result['3xx'],
  } satisfies LoadResult;
}

/** Realistic ~400-byte mobile events; `{REQ}` is replaced per request so ids never repeat. */
export function eventTemplate(count: number): string[] {
  const now = new Date().toISOString();
  const events = Array.from({ length: count }, (_, i) => ({
    event_id: `b{REQ}-${i}`,
    type: i % 50 === 0 ? 'open' : 'event',
    name: i % 7 === 0 ? 'purchase' : 'level_complete',
    timestamp: now,
    device: {
      id: `device-${(i * 7919) % 100000}`,
      advertising_id: 'cdda802e-fb9c-47ad-9866-0794d394c912',
      platform: i % 3 === 0 ? 'ios' : 'android',
      os_version: '14.2',
      model: 'Pixel 8',
      app_version: '3.12.0',
      locale: 'de_DE',
    },
    user_id: `user-${i}`,
    revenue: i % 7 === 0 ? 4.99 : 0,
    currency: 'EUR',
    properties: { level: i, score: i * 31, mode: 'arcade', session_id: 'f0a1c2d3-e4b5-46a7-98b9-0c1d2e3f4a5b' },
  }));
  return JSON.stringify(events.length === 1 ? events[0] : { events }).split('{REQ}');
}

export function fill(parts: string[], n: number | string): string {
  return parts.join(String(n));
}
