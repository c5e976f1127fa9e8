import { ApiError, errorFromBody, networkError } from './errors.ts';
import type { TokenAnswer, User } from './types.ts';

/**
 * The one way the dashboard talks to the API: relative `/api/...` URLs, the access token in
 * memory only, the refresh token in `storage` (localStorage in the browser; see README for the
 * XSS trade-off). A 401 triggers exactly one refresh, then one retry; a second 401 signs out.
 * Browser globals are injected so this file stays testable without a DOM.
 */

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Runs `fn` while holding a lock shared by every tab (Web Locks), so two tabs never spend one refresh token. */
export type LockFn = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

export interface ClientDeps {
  fetch: FetchLike;
  storage: KeyValueStore | null;
  lock?: LockFn;
  /** told whenever the signed-in user changes (null: signed out) */
  onSession?: (user: User | null) => void;
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** sent as JSON */
  body?: unknown;
  /** sent as is, with `contentType` (CSV imports) */
  rawBody?: string;
  contentType?: string;
  /** how to read a 2xx answer */
  read?: 'json' | 'text' | 'blob';
  /** false: no bearer token and no refresh (login, register, refresh itself) */
  auth?: boolean;
  signal?: AbortSignal;
}

export const REFRESH_KEY = 'unmogrowp.refresh_token';
const REFRESH_LOCK = 'unmogrowp.refresh';

const runDirectly: LockFn = (_name, fn) => fn();

export function buildUrl(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export function createApiClient(deps: ClientDeps) {
  const lock = deps.lock ?? runDirectly;
  let accessToken: string | null = null;
  let memoryRefresh: string | null = null;
  let user: User | null = null;
  let refreshing: Promise<boolean> | null = null;

  // Falls back to memory only when storage is missing or throws (private mode, quota): a token
  // removed from storage by another tab must read as gone, not as the old in-memory copy.
  let storageOk = deps.storage !== null;

  function readRefresh(): string | null {
    if (storageOk) {
      try {
        return deps.storage!.getItem(REFRESH_KEY);
      } catch {
        storageOk = false;
      }
    }
    return memoryRefresh;
  }

  function writeRefresh(token: string | null): void {
    memoryRefresh = token;
    if (!storageOk) return;
    try {
      if (token === null) deps.storage!.removeItem(REFRESH_KEY);
      else deps.storage!.setItem(REFRESH_KEY, token);
    } catch {
      // The session then lasts as long as the page.
      storageOk = false;
    }
  }

  function setUser(next: User | null): void {
    user = next;
    deps.onSession?.(next);
  }

  function forget(): void {
    accessToken = null;
    writeRefresh(null);
    if (user !== null) setUser(null);
  }

  async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | undefined;
    if (opts.rawBody !== undefined) {
      body = opts.rawBody;
      headers['content-type'] = opts.contentType ?? 'text/plain';
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    if (opts.auth !== false && accessToken) headers['authorization'] = `Bearer ${accessToken}`;
    try {
      return await deps.fetch(buildUrl(path, opts.query), { method, headers, body, signal: opts.signal, credentials: 'same-origin' });
    } catch (cause) {
      throw networkError(cause);
    }
  }

  async function read<T>(res: Response, how: RequestOptions['read']): Promise<T> {
    if (!res.ok) throw errorFromBody(res.status, await res.text().catch(() => ''), res.headers.get('retry-after'));
    if (res.status === 204) return undefined as T;
    if (how === 'blob') return (await res.blob()) as T;
    const text = await res.text();
    if (how === 'text') return text as T;
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(res.status, 'invalid_response', 'The server answered something that is not JSON. Is /api routed to UnMoGrowP?');
    }
  }

  /** One refresh at a time in this tab (and, with Web Locks, across tabs); resolves whether a new access token exists. */
  function refresh(): Promise<boolean> {
    refreshing ??= lock(REFRESH_LOCK, async () => {
      // Read inside the lock: another tab may have rotated the token while we waited.
      const token = readRefresh();
      if (!token) return false;
      const res = await send('POST', '/api/auth/refresh', { body: { refresh_token: token }, auth: false });
      if (res.status === 400 || res.status === 401 || res.status === 403) {
        if (readRefresh() === token) writeRefresh(null);
        accessToken = null;
        return false;
      }
      const answer = await read<TokenAnswer>(res, 'json');
      accessToken = answer.access_token;
      writeRefresh(answer.refresh_token);
      if (answer.user) setUser(answer.user);
      return true;
    }).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const tokenUsed = accessToken;
    const res = await send(method, path, opts);
    if (res.status !== 401 || opts.auth === false) return read<T>(res, opts.read);
    // Another request may already have refreshed while this one was in flight.
    const renewed = accessToken !== null && accessToken !== tokenUsed ? true : await refresh();
    if (!renewed) {
      forget();
      throw errorFromBody(401, await res.text().catch(() => ''));
    }
    const retry = await send(method, path, opts);
    if (retry.status === 401) {
      forget();
      throw errorFromBody(401, await retry.text().catch(() => ''));
    }
    return read<T>(retry, opts.read);
  }

  async function loadMe(): Promise<User> {
    const answer = await request<{ user?: User } & Partial<User>>('GET', '/api/auth/me');
    const me = answer.user ?? (answer as User);
    setUser(me);
    return me;
  }

  return {
    request,

    get user(): User | null {
      return user;
    },

    /** After a page load: trade the stored refresh token for an access token. Null when there is no session. */
    async restore(): Promise<User | null> {
      if (!readRefresh()) {
        setUser(null);
        return null;
      }
      const ok = await refresh();
      if (!ok) {
        forget();
        setUser(null);
        return null;
      }
      return user ?? loadMe();
    },

    async login(email: string, password: string): Promise<User> {
      const answer = await request<TokenAnswer>('POST', '/api/auth/login', { body: { email, password }, auth: false });
      accessToken = answer.access_token;
      writeRefresh(answer.refresh_token);
      if (answer.user) {
        setUser(answer.user);
        return answer.user;
      }
      return loadMe();
    },

    async register(input: { email: string; password: string; name: string; invitation?: string }): Promise<User> {
      const answer = await request<{ user?: User } & Partial<User>>('POST', '/api/auth/register', { body: input, auth: false });
      return answer.user ?? (answer as User);
    },

    /** Ends the session on the server too; signs out locally even when the server cannot be reached. */
    async logout(): Promise<void> {
      try {
        // The route takes no body (one is a 400, and the session would live on): it ends every
        // session of the account. `request` refreshes an expired access token first.
        if (accessToken) await request('POST', '/api/auth/logout');
      } catch {
        // Offline: the refresh token is still forgotten here, and the access token expires on its own.
      }
      forget();
      setUser(null);
    },

    /** Another tab signed out (the stored token vanished): follow it. */
    signedOutElsewhere(): void {
      if (readRefresh() === null) forget();
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
export type Requester = Pick<ApiClient, 'request'>;
