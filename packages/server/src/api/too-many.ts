import { AppError } from '../http/app-error.ts';

/** 429 with `Retry-After` (docs/api.md §1): the caller learns when to try again, nothing else. */
export function tooManyRequests(retryAfterSeconds: number, message: string): AppError {
  return new AppError(429, 'rate_limited', message, { retry_after_seconds: retryAfterSeconds }, retryAfterSeconds);
}
