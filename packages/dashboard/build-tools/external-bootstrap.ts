import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * SvelteKit starts the SPA shell with an inline <script>. The API listener sends helmet's CSP
 * (`script-src 'self'`), which blocks inline scripts, so the shell would stay blank. This moves
 * that script into a hashed file under `_app/immutable/` (a classic script, so
 * `document.currentScript` still finds its parent element) and leaves `<script src>` in its place.
 */
const INLINE_SCRIPT = /<script>([\s\S]*?__sveltekit_[\s\S]*?)<\/script>/;

export interface Externalized {
  html: string;
  /** null when the page had no inline bootstrap (already rewritten) */
  script: { path: string; source: string } | null;
}

export function externalizeBootstrap(html: string, base = '/_app/immutable'): Externalized {
  const match = INLINE_SCRIPT.exec(html);
  if (!match || match[1] === undefined) return { html, script: null };
  const source = `${match[1].trim()}\n`;
  const hash = createHash('sha256').update(source).digest('base64url').slice(0, 10);
  const path = `${base}/bootstrap.${hash}.js`;
  return { html: html.replace(match[0], `<script src="${path}"></script>`), script: { path, source } };
}

/** Vite plugin: runs after SvelteKit's adapter has written `dir` (Kit adapts in the SSR build's closeBundle). */
export function externalBootstrapPlugin(dir: string, page = 'index.html') {
  let ssr = false;
  return {
    name: 'unmogrowp-external-bootstrap',
    configResolved(config: { build: { ssr?: unknown } }) {
      ssr = Boolean(config.build.ssr);
    },
    closeBundle: {
      sequential: true,
      order: 'post' as const,
      handler() {
        const file = join(dir, page);
        if (!ssr || !existsSync(file)) return;
        const { html, script } = externalizeBootstrap(readFileSync(file, 'utf8'));
        if (!script) return;
        writeFileSync(join(dir, script.path), script.source);
        writeFileSync(file, html);
      },
    },
  };
}
