/** docs/api.md §1: every listener answers `{"error": {"code", "message", "details"}}` with the right status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** Messages for answers that did not carry an docs/api.md error body (a proxy page, an empty 502…). */
function fallbackMessage(status: number, retryAfter: string | null): string {
  const wait = retryAfter ? ` Try again in ${retryAfter} seconds.` : ' Try again in a moment.';
  if (status === 401) return 'Your session has ended. Sign in again.';
  if (status === 403) return 'You do not have permission to do this.';
  if (status === 404) return 'Not found.';
  if (status === 429) return `Too many requests.${wait}`;
  if (status >= 500) return `The server could not answer (HTTP ${status}).${wait}`;
  return `The request failed (HTTP ${status}).`;
}

/** Turns a non-2xx answer's body text into an ApiError, keeping the API's own sentence when there is one. */
export function errorFromBody(status: number, bodyText: string, retryAfter: string | null = null): ApiError {
  let parsed: ErrorBody | null = null;
  try {
    parsed = JSON.parse(bodyText) as ErrorBody;
  } catch {
    parsed = null;
  }
  const err = parsed?.error;
  const code = typeof err?.code === 'string' ? err.code : `http_${status}`;
  const message = typeof err?.message === 'string' && err.message !== '' ? err.message : fallbackMessage(status, retryAfter);
  const details = typeof err?.details === 'object' && err.details !== null ? (err.details as Record<string, unknown>) : {};
  if (retryAfter && details['retry_after'] === undefined) details['retry_after'] = retryAfter;
  return new ApiError(status, code, message, details);
}

/** fetch() itself failed: offline, DNS, the listener is down. Status 0 marks "no answer". */
export function networkError(cause: unknown): ApiError {
  const aborted = typeof cause === 'object' && cause !== null && (cause as { name?: unknown }).name === 'AbortError';
  if (aborted) return new ApiError(0, 'aborted', 'The request was cancelled.');
  return new ApiError(0, 'network_error', 'Cannot reach the server. Check your connection and that UnMoGrowP is running.');
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
