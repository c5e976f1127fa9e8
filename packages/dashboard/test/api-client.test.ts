import { describe, expect, it } from 'vitest';
import { buildUrl, createApiClient, REFRESH_KEY } from '../src/lib/api/client.ts';
import { ApiError } from '../src/lib/api/errors.ts';
import type { User } from '../src/lib/api/types.ts';
import { fakeApi, memoryStorage } from './fake-api.ts';

function setup(storage = memoryStorage()) {
  const server = fakeApi();
  const sessions: (User | null)[] = [];
  const client = createApiClient({ fetch: server.fetch, storage, onSession: (u) => sessions.push(u) });
  return { server, storage, client, sessions };
}

describe('api client sessions', () => {
  it('keeps the access token in memory and only the refresh token in storage', async () => {
    const { client, storage, server } = setup();
    await client.login('a@example.com', 'correct horse battery');
    expect([...storage.data.keys()]).toEqual([REFRESH_KEY]);
    expect(storage.data.get(REFRESH_KEY)).toMatch(/^refresh-/);
    await client.request('GET', '/api/apps');
    expect(server.calls.at(-1)?.auth).toMatch(/^Bearer access-/);
  });

  it('refreshes once on a 401, retries, and stores the rotated refresh token', async () => {
    const { client, storage, server } = setup();
    await client.login('a@example.com', 'correct horse battery');
    const first = storage.data.get(REFRESH_KEY);
    server.expireAccess();
    const answer = await client.request<{ apps: unknown[] }>('GET', '/api/apps');
    expect(answer.apps).toHaveLength(1);
    expect(server.countOf('/api/auth/refresh')).toBe(1);
    expect(server.countOf('/api/apps')).toBe(2);
    expect(storage.data.get(REFRESH_KEY)).not.toBe(first);
  });

  it('spends one refresh token for many requests failing at once (a reused token would revoke the family)', async () => {
    const { client, server } = setup();
    await client.login('a@example.com', 'correct horse battery');
    server.expireAccess();
    const results = await Promise.all([1, 2, 3, 4].map(() => client.request('GET', '/api/apps')));
    expect(results).toHaveLength(4);
    expect(server.countOf('/api/auth/refresh')).toBe(1);
  });

  it('signs out when the refresh is refused, and throws the 401', async () => {
    const { client, storage, server, sessions } = setup();
    await client.login('a@example.com', 'correct horse battery');
    server.expireAccess();
    server.revokeRefresh();
    const error = await client.request('GET', '/api/apps').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(storage.data.has(REFRESH_KEY)).toBe(false);
    expect(client.user).toBeNull();
    expect(sessions.at(-1)).toBeNull();
  });

  it('restores a session after a reload from the stored refresh token', async () => {
    const server = fakeApi();
    const stored = server.issue().refresh_token;
    const storage = memoryStorage({ [REFRESH_KEY]: stored });
    const client = createApiClient({ fetch: server.fetch, storage });
    const user = await client.restore();
    expect(user?.email).toBe('a@example.com');
    expect(storage.data.get(REFRESH_KEY)).not.toBe(stored);
  });

  it('restore without a stored token is signed out without calling the API', async () => {
    const { client, server } = setup();
    expect(await client.restore()).toBeNull();
    expect(server.calls).toHaveLength(0);
  });

  it('logout tells the server and forgets both tokens', async () => {
    const { client, storage, server } = setup();
    await client.login('a@example.com', 'correct horse battery');
    await client.logout();
    expect(server.countOf('/api/auth/logout')).toBe(1);
    // The API ends every session of the account and refuses a body on this route.
    expect(server.calls.at(-1)?.body).toBeUndefined();
    expect(storage.data.size).toBe(0);
    const error = await client.request('GET', '/api/apps').catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(401);
  });

  it('follows a sign-out in another tab (the stored token disappeared)', async () => {
    const { client, storage } = setup();
    await client.login('a@example.com', 'correct horse battery');
    storage.data.delete(REFRESH_KEY);
    client.signedOutElsewhere();
    expect(client.user).toBeNull();
  });

  it('works without storage (private mode): the session lives as long as the page', async () => {
    const server = fakeApi();
    const client = createApiClient({ fetch: server.fetch, storage: null });
    await client.login('a@example.com', 'correct horse battery');
    server.expireAccess();
    await expect(client.request('GET', '/api/apps')).resolves.toBeTruthy();
  });
});

describe('api client errors', () => {
  it("surfaces the API's error code, message and details", async () => {
    const { client } = setup();
    await client.login('a@example.com', 'correct horse battery');
    const error = (await client.request('GET', '/api/teapot').catch((e: unknown) => e)) as ApiError;
    expect([error.status, error.code, error.message, error.details]).toEqual([418, 'teapot', 'I am a teapot.', { spout: 1 }]);
  });

  it('turns a network failure into a sentence, without signing out', async () => {
    const storage = memoryStorage({ [REFRESH_KEY]: 'refresh-x' });
    const client = createApiClient({
      fetch: () => Promise.reject(new TypeError('fetch failed')),
      storage,
    });
    const error = (await client.request('GET', '/api/apps').catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('network_error');
    expect(storage.data.get(REFRESH_KEY)).toBe('refresh-x');
  });

  it('buildUrl drops empty query values and encodes the rest', () => {
    expect(buildUrl('/api/x', { a: 'b c', empty: '', none: undefined, n: 0 })).toBe('/api/x?a=b+c&n=0');
    expect(buildUrl('/api/x')).toBe('/api/x');
  });
});
