import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { type CidrSet, refusedTargetReason } from '@unmogrowp/attribution';
import { allowedTargets, checkedLookup, RefusedTargetError } from './postback-target.ts';

/**
 * One HTTP attempt of a postback, and nothing else: no retry, no database. The outcome is either
 * the status code the partner answered or why there was none, so the outbox can apply the retry
 * rules (2xx delivered; 5xx/429/timeout/network retried; other statuses final).
 */
export interface PostbackRequest {
  method: 'GET' | 'POST';
  url: string;
  /** sent as JSON on POST; ignored on GET */
  body: unknown | null;
}

export type SendResult =
  | { status_code: number; duration_ms: number }
  | { error: 'timeout' | 'network'; detail: string; duration_ms: number };

export type SendPostback = (request: PostbackRequest, options?: SendOptions) => Promise<SendResult>;

export interface SendOptions {
  /** whole attempt, connect to response headers (default 10 s) */
  timeoutMs?: number;
  /** Private ranges the operator allows (POSTBACK_ALLOWED_CIDRS); every other private, loopback,
   * link-local or multicast address is refused at connect time. Default: none allowed. */
  allowed?: CidrSet;
}

export const POSTBACK_USER_AGENT = 'UnMoGrowP-Postback/1';
export const DEFAULT_POSTBACK_TIMEOUT_MS = 10_000;
const NONE_ALLOWED = allowedTargets([]);

export async function sendPostback(request: PostbackRequest, options: SendOptions = {}): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const timeoutMs = options.timeoutMs ?? DEFAULT_POSTBACK_TIMEOUT_MS;
  const headers: Record<string, string> = { 'user-agent': POSTBACK_USER_AGENT };
  const post = request.method === 'POST';
  const body = post ? Buffer.from(JSON.stringify(request.body ?? {})) : null;
  if (body) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(body.length);
  }
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return { error: 'network', detail: 'the postback URL does not parse', duration_ms: elapsed() };
  }
  const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
  if (!transport) return { error: 'network', detail: `unsupported scheme ${url.protocol}`, duration_ms: elapsed() };
  // A literal address never reaches `lookup` (the socket connects to it directly): judged here.
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  const literalRefusal = isIP(literal) ? refusedTargetReason(literal, options.allowed ?? NONE_ALLOWED) : null;
  if (literalRefusal)
    return {
      error: 'network',
      detail: `refused: ${new RefusedTargetError(literal, literal, literalRefusal).message}`,
      duration_ms: elapsed(),
    };
  return new Promise<SendResult>((resolve) => {
    // A redirect is the partner's answer, not a place to follow a postback to (a final 3xx):
    // so a redirect to a refused address leads nowhere either.
    const req = transport.request(url, {
      method: request.method,
      headers,
      agent: false,
      lookup: checkedLookup(options.allowed ?? NONE_ALLOWED) as never,
    });
    const timer = setTimeout(
      () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' })),
      timeoutMs,
    );
    req.on('response', (res) => {
      clearTimeout(timer);
      // The body is not needed; dropping it frees the socket.
      res.resume();
      resolve({ status_code: res.statusCode ?? 0, duration_ms: elapsed() });
      req.destroy();
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      if (err.name === 'TimeoutError') resolve({ error: 'timeout', detail: err.message, duration_ms: elapsed() });
      else resolve({ error: 'network', detail: describe(err), duration_ms: elapsed() });
    });
    req.end(body ?? undefined);
  });
}

function describe(err: Error): string {
  if (err instanceof RefusedTargetError) return `refused: ${err.message}`;
  const code = (err as Error & { code?: unknown }).code;
  return typeof code === 'string' && !err.message.includes(code) ? `${code} ${err.message}` : err.message;
}
