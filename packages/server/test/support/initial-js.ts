import { gzipSync } from 'node:zlib';

/**
 * The scripts an HTML page loads before anything runs: `<script src>` and
 * `<link rel="modulepreload">` ending in `.js`, as same-origin paths, in document order.
 */
export function eagerScripts(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.matchAll(/<(script|link)\b[^>]*>/gi)) {
    const text = tag[0];
    const name = tag[1]!.toLowerCase();
    const attr = (key: string) => new RegExp(`\\b${key}\\s*=\\s*["']([^"']*)["']`, 'i').exec(text)?.[1];
    const target = name === 'script' ? attr('src') : attr('rel')?.toLowerCase() === 'modulepreload' ? attr('href') : undefined;
    if (target && /\.m?js(\?|$)/.test(target) && !found.includes(target)) found.push(target);
  }
  return found;
}

export interface ScriptWeight {
  files: number;
  raw_bytes: number;
  gzip_bytes: number;
}

/** What the scripts weigh on the wire with gzip (zlib's default level, as servers use). */
export async function weighScripts(baseUrl: string, paths: readonly string[]): Promise<ScriptWeight> {
  let raw = 0;
  let gzip = 0;
  for (const p of paths) {
    const res = await fetch(new URL(p, baseUrl));
    if (!res.ok) throw new Error(`${p}: ${res.status}`);
    const body = Buffer.from(await res.arrayBuffer());
    raw += body.length;
    gzip += gzipSync(body).length;
  }
  return { files: paths.length, raw_bytes: raw, gzip_bytes: gzip };
}
