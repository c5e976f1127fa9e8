/**
 * Which file of the dashboard build a URL asks for, and how long it may be cached. Pure.
 */

/** Paths the dashboard never answers: the API and the ops routes keep their JSON 404s. */
const RESERVED = ['/api', '/health', '/ready', '/metrics'];

export function isReservedPath(pathname: string): boolean {
  return RESERVED.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/**
 * The build-relative file a URL path names, or null when it cannot name one: undecodable,
 * empty, a `.`/`..` segment, a dotfile, a backslash or NUL. Refusing these here means no
 * request can leave the build directory or read a hidden file, whatever the file server does.
 */
export function requestedFile(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const segments = decoded.split('/').slice(1);
  if (segments.length === 0 || segments.some((s) => s === '' || s.startsWith('.') || s.includes('\\') || s.includes('\0'))) return null;
  return segments.join('/');
}

/** Hashed bundles (`/_app/immutable/…`) never change under their name; a missing one is a 404, not the app shell. */
export const IMMUTABLE_PREFIX = '_app/immutable/';
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
/** Everything else (index.html, version.json, favicon) is revalidated on every use, so a new build shows at once. */
export const REVALIDATE_CACHE = 'no-cache';

export function isImmutableAsset(file: string): boolean {
  return file.startsWith(IMMUTABLE_PREFIX);
}

/** A path under `/_app/` names a build file: when absent it must be a 404, never index.html served as script. */
export function isAssetPath(pathname: string): boolean {
  return pathname.startsWith('/_app/');
}
