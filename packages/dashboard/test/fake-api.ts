import type { FetchLike, KeyValueStore } from '../src/lib/api/client.ts';

/**
 * A tiny in-memory stand-in for the auth routes of docs/api.md §4: access tokens expire when told to,
 * refresh tokens rotate on every use and a reused one is refused. Enough to drive the client's
 * refresh-once logic; the real routes are tested in @unmogrowp/server.
 */
export function fakeApi() {
  let serial = 0;
  const validAccess = new Set<string>();
  const validRefresh = new Set<string>();
  const calls: { method: string; path: string; auth: string | null; body: string | undefined }[] = [];
  const user = { id: 'u1', email: 'a@example.com', name: 'Ada', role: 'admin', disabled: false, created_at: '2026-01-01T00:00:00.000Z' };

  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const unauthorized = () => json(401, { error: { code: 'unauthenticated', message: 'Sign in again.' } });

  function issue() {
    serial++;
    const access = `access-${serial}`;
    const refresh = `refresh-${serial}`;
    validAccess.add(access);
    validRefresh.add(refresh);
    return { access_token: access, refresh_token: refresh, expires_in: 900, user };
  }

  const fetch: FetchLike = async (input, init = {}) => {
    const method = init.method ?? 'GET';
    const headers = (init.headers ?? {}) as Record<string, string>;
    const auth = headers['authorization'] ?? null;
    const body = typeof init.body === 'string' ? init.body : undefined;
    const path = input.split('?')[0] ?? input;
    calls.push({ method, path, auth, body });
    if (path === '/api/auth/login') return json(200, issue());
    if (path === '/api/auth/refresh') {
      const token = (JSON.parse(body ?? '{}') as { refresh_token?: string }).refresh_token ?? '';
      if (!validRefresh.delete(token)) return unauthorized();
      return json(200, issue());
    }
    const bearer = auth?.replace(/^Bearer /, '') ?? '';
    if (!validAccess.has(bearer)) return unauthorized();
    if (path === '/api/auth/logout') return new Response(null, { status: 204 });
    if (path === '/api/auth/me') return json(200, { user });
    if (path === '/api/apps') return json(200, { apps: [{ id: 'app_1', name: 'Game', platforms: ['ios'] }] });
    if (path === '/api/teapot') return json(418, { error: { code: 'teapot', message: 'I am a teapot.', details: { spout: 1 } } });
    return json(404, { error: { code: 'not_found', message: 'No such route.' } });
  };

  return {
    fetch,
    calls,
    issue,
    /** every access token issued so far stops working (they expired) */
    expireAccess: () => validAccess.clear(),
    /** the refresh family is revoked (logout elsewhere, disabled account) */
    revokeRefresh: () => validRefresh.clear(),
    countOf: (path: string) => calls.filter((c) => c.path === path).length,
  };
}

export function memoryStorage(initial: Record<string, string> = {}): KeyValueStore & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}
