import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy of the API listener, which will also serve the dashboard: scripts,
 * styles, images and API calls from this origin only; nothing may frame it, no plugins, forms
 * post only here. An inline `<script>` needs its hash added to `script-src`.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * The dashboard's pages (`web/dashboard.ts`) get the same policy with one addition: inline
 * style attributes (`<div style="display: contents">` in SvelteKit's shell, heat-map colours
 * and bar widths set by Svelte). Scripts stay `'self'` only — the build moved SvelteKit's
 * inline bootstrap into a file. JSON answers keep the stricter policy above.
 */
export const DASHBOARD_CONTENT_SECURITY_POLICY = { ...CONTENT_SECURITY_POLICY, styleSrc: ["'self'", "'unsafe-inline'"] };

/** A directives object as a `Content-Security-Policy` header value, written as helmet writes it. */
export function cspHeader(directives: Record<string, readonly string[]>): string {
  return Object.entries(directives)
    .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
    .join(';');
}

/**
 * Browser-facing protections (ASVS V3/V13, OWASP API8): helmet's headers with the policy above,
 * and CORS only for the origins in `CORS_ORIGINS` — none by default, so another site's script
 * cannot read API answers. Tokens travel in `Authorization`, never cookies: no credentials mode.
 */
export async function securityHeaders(app: FastifyInstance, options: { corsOrigins: readonly string[] }): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  if (options.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: [...options.corsOrigins],
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type'],
      exposedHeaders: ['retry-after'],
      credentials: false,
      maxAge: 600,
      strictPreflight: true,
    });
  }
}
