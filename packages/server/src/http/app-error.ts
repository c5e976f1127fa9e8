import type { ApiErrorBody } from '@unmogrowp/schema';

/** An error meant for the client: status + docs/api.md §1 body. Anything else becomes a logged 500. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }

  body(): { error: ApiErrorBody } {
    return {
      error: this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message },
    };
  }
}

export const unauthorized = (code: string, message: string) => new AppError(401, code, message);
export const notFound = (message = 'Nothing is here. Check the URL and the id in it.') => new AppError(404, 'not_found', message);
export const badRequest = (code: string, message: string, details?: Record<string, unknown>) => new AppError(400, code, message, details);
export const unavailable = (code: string, message: string, retryAfterSeconds = 5) =>
  new AppError(503, code, message, undefined, retryAfterSeconds);
