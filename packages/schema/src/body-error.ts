import type { ApiErrorBody } from './errors.ts';
import { MAX_BATCH } from './limits.ts';

/**
 * The whole request is unusable (not an object, no events array, too many events).
 * Thrown by the normalizers; the route answers `status` with `toBody()`.
 */
export class BodyError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'BodyError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Fastify's default error handler reads `statusCode`. */
  get statusCode(): number {
    return this.status;
  }

  toBody(): { error: ApiErrorBody } {
    const error: ApiErrorBody = { code: this.code, message: this.message };
    if (this.details) error.details = this.details;
    return { error };
  }
}

export function isBodyError(err: unknown): err is BodyError {
  return err instanceof BodyError;
}

export function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function bodyNotObject(body: unknown, expected: string): BodyError {
  return new BodyError(
    400,
    'invalid_body',
    `The request body must be ${expected}, not ${jsonKind(body)}. Send JSON with Content-Type: application/json.`,
    {
      expected,
      received: jsonKind(body),
    },
  );
}

export function bodyListMissing(field: string, shape: string): BodyError {
  return new BodyError(400, 'missing_field', `The request body needs a \`${field}\` array, as in ${shape}.`, { field });
}

export function bodyListWrongType(field: string, value: unknown): BodyError {
  return new BodyError(400, 'invalid_type', `\`${field}\` must be an array of events, not ${jsonKind(value)}.`, {
    field,
    expected: 'array',
    received: jsonKind(value),
  });
}

export function assertBatchSize(list: readonly unknown[]): void {
  if (list.length > MAX_BATCH) {
    throw new BodyError(
      400,
      'batch_too_large',
      `A batch may hold at most ${MAX_BATCH} events; this one has ${list.length}. Split it into smaller batches.`,
      { max: MAX_BATCH, received: list.length },
    );
  }
}
