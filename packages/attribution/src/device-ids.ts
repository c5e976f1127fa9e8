/**
 * Identifier hygiene for matching. IDFA/GAID arrive upper- or lower-case depending on who sent
 * them, and a zeroed id (limit ad tracking, ATT denied) is shared by millions of devices: it must never match.
 */
export function normalizeAdvertisingId(id: string): string {
  const trimmed = id.trim().toLowerCase();
  return /^[0-]*$/.test(trimmed) ? '' : trimmed;
}

/** '' when absent or all zeros. */
export function isUsableAdvertisingId(id: string): boolean {
  return normalizeAdvertisingId(id) !== '';
}

/**
 * '17_1_2' (Safari) and '17.1.2' (SDK) are the same version, and so are '14', '14.0' and '14.0.0'
 * (trailing zero components dropped). Unknown stays ''.
 */
export function normalizeOsVersion(version: string): string {
  const parts = version.trim().replace(/_/g, '.').split('.');
  while (parts.length > 1 && /^0+$/.test(parts[parts.length - 1]!)) parts.pop();
  return parts.join('.');
}
