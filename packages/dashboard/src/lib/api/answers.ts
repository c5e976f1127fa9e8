/**
 * docs/api.md fixes created resources as `{"<name>": {...}}` but is silent about list answers; these
 * helpers accept both `{"apps": [...]}` and a bare array, so the dashboard does not break on either.
 */
export function listOf<T>(answer: unknown, key: string): T[] {
  if (Array.isArray(answer)) return answer as T[];
  if (typeof answer === 'object' && answer !== null) {
    const inner = (answer as Record<string, unknown>)[key];
    if (Array.isArray(inner)) return inner as T[];
  }
  return [];
}

/** `{"app": {...}}` or the object itself. */
export function itemOf<T>(answer: unknown, key: string): T {
  if (typeof answer === 'object' && answer !== null) {
    const inner = (answer as Record<string, unknown>)[key];
    if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) return inner as T;
  }
  return answer as T;
}

/** A string field when present and non-empty, else null. */
export function textField(source: unknown, ...keys: string[]): string | null {
  if (typeof source !== 'object' || source === null) return null;
  for (const key of keys) {
    const value = (source as Record<string, unknown>)[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

/** Counts may arrive as strings from a 64-bit store; docs/api.md says numbers, this keeps the UI honest either way. */
export function num(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : 0;
  }
  return 0;
}

/** Like num, but keeps "not defined" (ROAS without cost, eCPI without installs) apart from zero. */
export function numOrNull(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}
