import type { SqlDb } from './sql-db.ts';

/**
 * The app setting `deep_linking` (docs/deep-links.md): what the click domain's association
 * documents need so `/c/:link_id` opens an installed app instead of the browser.
 */
export interface DeepLinkingSettings {
  ios: { team_id: string; bundle_id: string } | null;
  android: { package_name: string; sha256_cert_fingerprints: string[] } | null;
}

export interface DeepLinkingError {
  field: string;
  message: string;
}

/** Apple's Team ID: ten upper-case letters and digits. */
const TEAM_ID = /^[A-Z0-9]{10}$/;
/** Apple's bundle id: letters, digits, hyphens and periods (reverse DNS). */
const BUNDLE_ID = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
/** Android's applicationId: at least two segments, each a Java identifier starting with a letter. */
const PACKAGE_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/;
/** SHA-256 of the signing certificate as Android tools print it: 32 colon-separated hex pairs. */
const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;
const MAX_FINGERPRINTS = 10;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Upper-cases and inserts colons, so "ab12…" (64 hex) and "AB:12:…" are one fingerprint. */
export function normalizeFingerprint(value: string): string {
  const hex = value.replaceAll(':', '').toUpperCase();
  return /^[0-9A-F]{64}$/.test(hex) ? (hex.match(/../g) as string[]).join(':') : value;
}

/** Checks a `deep_linking` value as a PATCH sends it; `ios`/`android` null clears that platform. */
export function validateDeepLinking(
  value: unknown,
): { ok: true; settings: DeepLinkingSettings } | { ok: false; errors: DeepLinkingError[] } {
  const errors: DeepLinkingError[] = [];
  const out: DeepLinkingSettings = { ios: null, android: null };
  if (!isRecord(value)) return { ok: false, errors: [{ field: 'deep_linking', message: 'must be an object {ios?, android?}' }] };
  for (const key of Object.keys(value)) {
    if (key !== 'ios' && key !== 'android') errors.push({ field: `deep_linking.${key}`, message: 'unknown setting: only ios and android' });
  }
  const ios = value.ios;
  if (ios !== undefined && ios !== null) {
    if (!isRecord(ios)) errors.push({ field: 'deep_linking.ios', message: 'must be {team_id, bundle_id} or null' });
    else {
      const teamId = typeof ios.team_id === 'string' ? ios.team_id.trim().toUpperCase() : '';
      const bundleId = typeof ios.bundle_id === 'string' ? ios.bundle_id.trim() : '';
      if (!TEAM_ID.test(teamId))
        errors.push({ field: 'deep_linking.ios.team_id', message: 'must be the 10-character Apple Team ID, e.g. ABCDE12345' });
      if (!BUNDLE_ID.test(bundleId) || bundleId.length > 155)
        errors.push({
          field: 'deep_linking.ios.bundle_id',
          message: 'must be a bundle id such as com.example.app (letters, digits, - and .)',
        });
      for (const k of Object.keys(ios))
        if (k !== 'team_id' && k !== 'bundle_id') errors.push({ field: `deep_linking.ios.${k}`, message: 'unknown setting' });
      out.ios = { team_id: teamId, bundle_id: bundleId };
    }
  }
  const android = value.android;
  if (android !== undefined && android !== null) {
    if (!isRecord(android))
      errors.push({ field: 'deep_linking.android', message: 'must be {package_name, sha256_cert_fingerprints} or null' });
    else {
      const packageName = typeof android.package_name === 'string' ? android.package_name.trim() : '';
      if (!PACKAGE_NAME.test(packageName) || packageName.length > 255)
        errors.push({ field: 'deep_linking.android.package_name', message: 'must be an Android package name such as com.example.app' });
      const raw = android.sha256_cert_fingerprints;
      const prints = Array.isArray(raw) ? raw.map((f) => (typeof f === 'string' ? normalizeFingerprint(f.trim()) : '')) : [];
      if (prints.length === 0 || prints.length > MAX_FINGERPRINTS || !prints.every((f) => FINGERPRINT.test(f))) {
        errors.push({
          field: 'deep_linking.android.sha256_cert_fingerprints',
          message: `must list 1 to ${MAX_FINGERPRINTS} SHA-256 certificate fingerprints like "14:6D:E9:…" (32 hex pairs)`,
        });
      }
      for (const k of Object.keys(android))
        if (k !== 'package_name' && k !== 'sha256_cert_fingerprints')
          errors.push({ field: `deep_linking.android.${k}`, message: 'unknown setting' });
      out.android = { package_name: packageName, sha256_cert_fingerprints: [...new Set(prints)] };
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, settings: out };
}

/** A stored value read back leniently: what does not validate any more counts as not set. */
export function deepLinkingOf(stored: Record<string, unknown> | null | undefined): DeepLinkingSettings {
  const checked = validateDeepLinking(stored?.deep_linking ?? {});
  return checked.ok ? checked.settings : { ios: null, android: null };
}

export interface DeepLinkingApp {
  app_id: string;
  settings: DeepLinkingSettings;
  /** the app's enabled, live links: for the association document when apps share the domain */
  link_ids: string[];
}

/** Every live app with deep linking set up, for the click domain's association documents. */
export async function listDeepLinkingApps(db: Pick<SqlDb, 'query'>): Promise<DeepLinkingApp[]> {
  const apps = await db.query<{ id: string; settings: Record<string, unknown> }>(
    `select id, settings from apps where deleted_at is null and settings ? 'deep_linking' order by created_at, created_seq`,
  );
  const configured = apps
    .map((a) => ({ app_id: a.id, settings: deepLinkingOf(a.settings), link_ids: [] as string[] }))
    .filter((a) => a.settings.ios || a.settings.android);
  if (configured.length === 0) return [];
  const links = await db.query<{ id: string; app_id: string }>(
    'select id, app_id from links where app_id = any($1) and deleted_at is null and enabled order by created_at, created_seq',
    [configured.map((a) => a.app_id)],
  );
  const byApp = new Map(configured.map((a) => [a.app_id, a]));
  for (const l of links) byApp.get(l.app_id)?.link_ids.push(l.id);
  return configured;
}
