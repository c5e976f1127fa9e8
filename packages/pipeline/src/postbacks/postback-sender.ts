/**
 * One HTTP attempt of a postback, and nothing else: no retry, no database. The outcome is either
 * the status code the partner answered or why there was none, so the outbox can apply API.md §3
 * (2xx delivered; 5xx/429/timeout/network retried; other statuses final).
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
}

export const POSTBACK_USER_AGENT = 'UnMoGrowP-Postback/1';
export const DEFAULT_POSTBACK_TIMEOUT_MS = 10_000;

export async function sendPostback(request: PostbackRequest, options: SendOptions = {}): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const headers: Record<string, string> = { 'user-agent': POSTBACK_USER_AGENT };
  const post = request.method === 'POST';
  if (post) headers['content-type'] = 'application/json';
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers,
      body: post ? JSON.stringify(request.body ?? {}) : undefined,
      // A redirect is the partner's answer, not a place to follow a postback to (deliveryOutcome: final).
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_POSTBACK_TIMEOUT_MS),
    });
    // The body is not needed; cancelling it frees the connection for the next postback.
    await response.body?.cancel().catch(() => {});
    return { status_code: response.status, duration_ms: elapsed() };
  } catch (err) {
    if (isTimeout(err))
      return {
        error: 'timeout',
        detail: `no answer within ${options.timeoutMs ?? DEFAULT_POSTBACK_TIMEOUT_MS} ms`,
        duration_ms: elapsed(),
      };
    return { error: 'network', detail: describe(err), duration_ms: elapsed() };
  }
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a TLS error) is in its cause. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code) ? `${code} ${cause.message}` : cause.message;
  }
  return err.message;
}
