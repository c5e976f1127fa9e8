/** docs/api.md §1: every error a client sees has a stable snake_case code and an actionable sentence. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** A per-item rejection inside an otherwise accepted batch. */
export interface ItemRejection {
  index: number;
  error: ApiErrorBody;
}

export function itemError(code: string, message: string, details?: Record<string, unknown>): ApiErrorBody {
  return details ? { code, message, details } : { code, message };
}
