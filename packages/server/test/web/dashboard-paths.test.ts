import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, cspHeader, DASHBOARD_CONTENT_SECURITY_POLICY } from '../../src/http/security-headers.ts';
import { isAssetPath, isImmutableAsset, isReservedPath, requestedFile } from '../../src/web/dashboard-paths.ts';

describe('dashboard paths', () => {
  it('reserves the API and ops prefixes, not look-alikes', () => {
    for (const p of ['/api', '/api/x', '/health', '/ready', '/metrics', '/metrics/x']) expect(isReservedPath(p), p).toBe(true);
    for (const p of ['/', '/apps/x', '/apix', '/healthy', '/_app/x.js']) expect(isReservedPath(p), p).toBe(false);
  });

  it('maps a URL path to a build file, refusing anything that could leave the build or read a dotfile', () => {
    expect(requestedFile('/_app/immutable/a%20b.js')).toBe('_app/immutable/a b.js');
    expect(requestedFile('/index.html')).toBe('index.html');
    for (const p of ['/', '/a//b', '/../x', '/%2e%2e/x', '/a/..%2f..%2fx', '/.env', '/a/.git/config', '/a%5cb', '/a%00', '/%E0%A4%A']) {
      expect(requestedFile(p), p).toBeNull();
    }
  });

  it('knows immutable assets and asset paths', () => {
    expect(isImmutableAsset('_app/immutable/entry/start.js')).toBe(true);
    expect(isImmutableAsset('_app/version.json')).toBe(false);
    expect(isAssetPath('/_app/anything')).toBe(true);
    expect(isAssetPath('/apps/_app')).toBe(false);
  });
});

describe('content security policies', () => {
  it('writes a directives object as a header value', () => {
    expect(cspHeader({ defaultSrc: ["'self'"], frameAncestors: ["'none'"], imgSrc: ["'self'", 'data:'] })).toBe(
      "default-src 'self';frame-ancestors 'none';img-src 'self' data:",
    );
  });

  it('adds inline styles for the dashboard only; scripts stay same-origin everywhere', () => {
    expect(CONTENT_SECURITY_POLICY.styleSrc).toEqual(["'self'"]);
    expect(DASHBOARD_CONTENT_SECURITY_POLICY).toEqual({ ...CONTENT_SECURITY_POLICY, styleSrc: ["'self'", "'unsafe-inline'"] });
    expect(DASHBOARD_CONTENT_SECURITY_POLICY.scriptSrc).toEqual(["'self'"]);
  });
});
